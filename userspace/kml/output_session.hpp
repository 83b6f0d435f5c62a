#pragma once
// Where a subcommand writes a report a person reads: standard output,
// coloured and paged as output_policy.hpp decides (as git does). Make one
// for the length of the output, write through stream(), and wrap the words
// to highlight in colour():
//
//   OutputSession out(options.colour);   // from --color, if given
//   out.stream() << "path: " << out.colour(Colour::Green, "direct") << "\n";
//
// The pager, if any, gets the text with its colour codes, and the
// destructor waits for the user to quit it. Errors still go to std::cerr,
// which is never paged.

#include "output_policy.hpp"
#include "pager.hpp"

#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace kml {

enum class Colour { Bold, Dim, Red, Green, Yellow, Blue, Magenta, Cyan };

// Whether long output may go through a pager: Never for output that is
// read as it comes (a live trace) or by a program (JSON).
enum class Paging { Auto, Never };

class OutputSession {
public:
  // choice: the subcommand's --color, if it was given; otherwise the one
  // given to `kml` itself (setDefaultColourChoice), else auto.
  explicit OutputSession(std::optional<ColourChoice> choice = std::nullopt,
                         Paging paging = Paging::Auto);
  // The same for a given terminal (tests, and callers that know better).
  OutputSession(std::optional<ColourChoice> choice, Paging paging,
                const TerminalState &terminal);
  OutputSession(const OutputSession &) = delete;
  OutputSession &operator=(const OutputSession &) = delete;
  OutputSession(OutputSession &&) = delete;
  OutputSession &operator=(OutputSession &&) = delete;
  ~OutputSession();

  [[nodiscard]] std::ostream &stream() const { return *stream_; }
  [[nodiscard]] bool colourOn() const { return colourOn_; }
  [[nodiscard]] bool paged() const { return pager_.has_value(); }

  // text in the colour, when colour is on; text as it is otherwise.
  [[nodiscard]] std::string colour(Colour colour, std::string_view text) const;

  // The choice of `kml --color=WHEN ...`, for sessions whose command was
  // not given one of its own.
  static void setDefaultColourChoice(ColourChoice choice);

private:
  bool colourOn_ = false;
  std::optional<Pager> pager_;
  // Standard output, which the pager (if any) now reads.
  std::ostream *stream_;
};

} // namespace kml
