// kvstore: a key-value store for ring-0 applications, in C++20 on the
// standard library.
//
//   kvstore --capacity N             serve the line protocol on stdin/stdout
//   kvstore --capacity N --batch OPS run a generated workload, print totals
//
// Line protocol (one command per line, one response line per command):
//   SET key value   -> OK | ERR full | ERR too long
//   GET key         -> VALUE value | NOT_FOUND
//   DEL key         -> DELETED | NOT_FOUND
//   COUNT           -> COUNT n
//   QUIT            -> BYE (and exit)
// Anything else gets "ERR ..." and the session goes on. Values may contain
// spaces (everything after the key); keys may not.
//
// Each response is written with its own write(2): in protocol mode the
// program is deliberately system-call heavy, which is what kml speeds up.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../common/line_io.hpp"
#include "../common/numbers.hpp"
#include "kml/arguments.hpp"
#include "store.hpp"

namespace {

// Lines of up to 255 characters; longer ones get "ERR line too long".
constexpr std::size_t max_line = 255;

void report(std::string_view message) {
  (void)line_io::write_line(line_io::stderr_fd, message);
}

// A command's first word and the rest, both without surrounding blanks.
struct command {
  std::string_view verb;
  std::string_view args;
};

command split_command(std::string_view line) {
  const std::string_view text = line_io::trim(line);
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos)
    return {text, {}};
  return {text.substr(0, space), line_io::trim(text.substr(space + 1))};
}

// A single key with no blanks inside, or nothing.
std::optional<std::string_view> single_key(std::string_view text) {
  if (text.empty() || text.find(' ') != std::string_view::npos)
    return std::nullopt;
  return text;
}

// Runs protocol commands against a store.
class session {
public:
  explicit session(kvstore::store &s) : store_(s) {}

  // The response to one line, and whether the session goes on.
  struct reply {
    std::string text;
    bool more = true;
  };

  reply handle(std::string_view line) {
    const command cmd = split_command(line);
    if (cmd.verb == "SET")
      return {set(cmd.args)};
    if (cmd.verb == "GET")
      return {get(cmd.args)};
    if (cmd.verb == "DEL")
      return {del(cmd.args)};
    if (cmd.verb == "COUNT" && cmd.args.empty())
      return {"COUNT " + std::to_string(store_.size())};
    if (cmd.verb == "QUIT" && cmd.args.empty())
      return {"BYE", false};
    return {cmd.verb.empty() ? "ERR empty command" : "ERR unknown command"};
  }

private:
  std::string set(std::string_view args) {
    const std::size_t space = args.find(' ');
    if (space == std::string_view::npos || space == 0)
      return "ERR usage: SET key value";
    switch (store_.set(args.substr(0, space), args.substr(space + 1))) {
    case kvstore::set_outcome::inserted:
    case kvstore::set_outcome::replaced:
      return "OK";
    case kvstore::set_outcome::full:
      return "ERR full";
    case kvstore::set_outcome::too_long:
      return "ERR too long";
    }
    return "ERR internal";
  }

  std::string get(std::string_view args) {
    const std::optional<std::string_view> key = single_key(args);
    if (!key)
      return "ERR usage: GET key";
    const std::optional<std::string> value = store_.get(*key);
    return value ? "VALUE " + *value : std::string("NOT_FOUND");
  }

  std::string del(std::string_view args) {
    const std::optional<std::string_view> key = single_key(args);
    if (!key)
      return "ERR usage: DEL key";
    return store_.erase(*key) ? "DELETED" : "NOT_FOUND";
  }

  kvstore::store &store_;
};

int serve(kvstore::store &s) {
  session commands(s);
  line_io::line_reader lines(line_io::stdin_fd, max_line);
  for (;;) {
    const line_io::line in = lines.next();
    session::reply out;
    switch (in.status) {
    case line_io::line_status::end:
      return 0;
    case line_io::line_status::error:
      report("kvstore: read error on stdin");
      return 1;
    case line_io::line_status::too_long:
      out.text = "ERR line too long";
      break;
    case line_io::line_status::line:
      out = commands.handle(in.text);
      break;
    }
    if (!line_io::write_line(line_io::stdout_fd, out.text))
      return 1;
    if (!out.more)
      return 0;
  }
}

// xorshift64: a fixed, seedable sequence so batch runs are repeatable.
class xorshift {
public:
  explicit xorshift(std::uint64_t seed) : state_(seed == 0 ? 1 : seed) {}
  std::uint64_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }

private:
  std::uint64_t state_;
};

struct batch_totals {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t sets = 0;
  std::uint64_t full = 0;
  std::uint64_t dels = 0;
  std::uint64_t checksum = 0;
};

// A generated workload over a key space twice the capacity: 50% GET,
// 40% SET, 10% DEL. Prints the totals and a checksum of the values read,
// so two runs (say at ring 3 and at ring 0) can be compared exactly.
int batch(kvstore::store &s, std::uint64_t ops, std::uint64_t seed) {
  xorshift rng(seed);
  const std::uint64_t keys = s.capacity() * 2;
  batch_totals t;
  for (std::uint64_t i = 0; i < ops; ++i) {
    const std::uint64_t r = rng.next();
    const std::string key = "k" + std::to_string(r % keys);
    const std::uint64_t kind = (r >> 32) % 10;
    if (kind < 5) {
      const std::optional<std::string> value = s.get(key);
      if (value) {
        ++t.hits;
        t.checksum = t.checksum * 31 + kvstore::fnv1a(*value);
      } else {
        ++t.misses;
      }
    } else if (kind < 9) {
      if (s.set(key, "v" + std::to_string(i)) == kvstore::set_outcome::full)
        ++t.full;
      else
        ++t.sets;
    } else if (s.erase(key)) {
      ++t.dels;
    }
  }
  const std::string out =
      "ops=" + std::to_string(ops) +
      " gets=" + std::to_string(t.hits + t.misses) +
      " hits=" + std::to_string(t.hits) + " sets=" + std::to_string(t.sets) +
      " full=" + std::to_string(t.full) + " dels=" + std::to_string(t.dels) +
      " count=" + std::to_string(s.size()) +
      " checksum=" + std::to_string(t.checksum);
  return line_io::write_line(line_io::stdout_fd, out) ? 0 : 1;
}

struct options {
  std::uint64_t capacity = 1024;
  bool batch = false;
  std::uint64_t batch_ops = 0;
  std::uint64_t seed = 42;
};

// Parses `--name value` pairs; nothing (after a message) on anything wrong.
std::optional<options>
parse_options(const std::vector<std::string_view> &args) {
  options opt;
  for (std::size_t i = 1; i < args.size(); i += 2) {
    const std::string_view name = args[i];
    if (i + 1 >= args.size()) {
      report("kvstore: option without a value");
      return std::nullopt;
    }
    const std::optional<std::uint64_t> value =
        numbers::parse_decimal(args[i + 1]);
    if (!value) {
      report("kvstore: option values are non-negative integers");
      return std::nullopt;
    }
    if (name == "--capacity") {
      opt.capacity = *value;
    } else if (name == "--batch") {
      opt.batch = true;
      opt.batch_ops = *value;
    } else if (name == "--seed") {
      opt.seed = *value;
    } else {
      report("usage: kvstore [--capacity N] [--batch OPS] [--seed S]");
      return std::nullopt;
    }
  }
  // Each entry costs a hash node and two short strings (about 150 bytes):
  // 2^20 entries is about 150 MB, the most a small VM should be asked for.
  if (opt.capacity == 0 || opt.capacity > (std::uint64_t{1} << 20)) {
    report("kvstore: --capacity must be 1..1048576");
    return std::nullopt;
  }
  return opt;
}

} // namespace

int main(int argc, char **argv) {
  const std::optional<options> opt = parse_options(kml::arguments(argc, argv));
  if (!opt)
    return 2;
  kvstore::store s(static_cast<std::size_t>(opt->capacity));
  return opt->batch ? batch(s, opt->batch_ops, opt->seed) : serve(s);
}
