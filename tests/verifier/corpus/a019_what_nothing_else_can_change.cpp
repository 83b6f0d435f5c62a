// EXPECT: accept
// Near misses of KML-R019 found by writing the example programs in C++20:
// references into what nothing else can change. A const object (changing
// it would take a const_cast), a temporary of the full-expression (it has
// no name), a copy of an element that is itself a view (it views what the
// element views), a C library struct pointer (the library's own object),
// a function that can only reach what it is given, and a comparison with
// a container's end (it reads no memory).
#include <charconv>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

std::vector<std::string> names;
void touch_names() { names.push_back("x"); }

std::size_t count_slashes(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text)
    n += c == '/' ? 1 : 0;
  return n;
}

std::size_t first_slash(std::string_view text) {
  return count_slashes(text.substr(0, 1));
}

std::size_t const_local_survives_calls() {
  const std::string path = "/a/b";
  const std::string_view view = path;
  touch_names();
  return view.size();
}

std::size_t const_optional_value() {
  const std::optional<std::string> found = std::string("value");
  touch_names();
  return found ? count_slashes(*found) : 0;
}

std::size_t const_vector_element() {
  const std::vector<std::string> list{"a/b", "c"};
  const std::string &first = list[0];
  touch_names();
  return first.size();
}

std::size_t local_optional_value() {
  std::optional<std::string> found = std::string("v/w");
  return found ? count_slashes(*found) : 0;
}

std::size_t temporary_given_as_view() {
  return count_slashes("/" + std::to_string(42) + "/");
}

std::size_t range_for_over_temporary() {
  std::size_t n = 0;
  for (const char c : std::string("a/b/c")) {
    touch_names();
    n += c == '/' ? 1 : 0;
  }
  return n;
}

std::size_t copy_of_a_view_element(const std::vector<std::string_view> &args) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    touch_names();
    n += arg.size();
  }
  return n;
}

int copy_of_a_pointer_element(int first, int second) {
  std::vector<int *> ptrs;
  ptrs.push_back(&first);
  int *p = ptrs[0];
  ptrs.push_back(&second);
  return *p;
}

std::size_t
parameter_member_to_pure_function(const std::vector<std::string> &v) {
  return v.empty() ? 0 : count_slashes(v[0]) + first_slash(v[0]);
}

std::size_t global_element_to_pure_function() {
  return names.empty() ? 0 : count_slashes(names[0]);
}

int file_named_by_a_parameter(const std::string &path) {
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (file == nullptr)
    return static_cast<int>(count_slashes(path));
  touch_names();
  std::fclose(file);
  return 0;
}

std::optional<unsigned> whole_number(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.begin(), text.end(), value);
  if (error != std::errc() || end != text.end())
    return std::nullopt;
  return value;
}

// A member function that keeps nothing outside its object: the local it
// fills does not escape through it.
class line_source {
public:
  bool next(std::string &out) {
    if (pending_.empty())
      return false;
    out = pending_;
    pending_.clear();
    return true;
  }

private:
  std::string pending_ = "GET / HTTP/1.1";
};

std::size_t filled_by_a_member_function() {
  line_source source;
  std::string line;
  if (!source.next(line))
    return 0;
  const std::string_view head = line;
  touch_names();
  return count_slashes(head);
}

// An accessor's reference, used before anything changes the object.
class named {
public:
  const std::string &name() const { return name_; }
  void rename(std::string_view to) { name_ = to; }

private:
  std::string name_ = "first";
};

std::size_t accessor_then_rename() {
  named n;
  const std::size_t before = n.name().size();
  n.rename("second");
  return before + n.name().size();
}

// A function returning a view into what it is given, or a constant.
std::optional<std::string_view> first_word(std::string_view text) {
  const std::size_t space = text.find(' ');
  if (space == 0)
    return std::nullopt;
  return text.substr(0, space);
}

std::size_t view_from_what_it_is_given(const std::vector<std::string> &v) {
  if (v.empty())
    return 0;
  const std::optional<std::string_view> word = first_word(v[0]);
  return word ? count_slashes(*word) : 0;
}

// A map's new key from a temporary: the temporary is no part of the map.
std::size_t temporary_key(std::vector<std::string> &keys) {
  keys.push_back("k" + std::to_string(keys.size()));
  return keys.size();
}

int main() {
  int value = 7;
  const std::vector<std::string_view> args{"a", "bb"};
  return static_cast<int>(
      const_local_survives_calls() + const_optional_value() +
      const_vector_element() + local_optional_value() +
      temporary_given_as_view() + range_for_over_temporary() +
      copy_of_a_view_element(args) + copy_of_a_pointer_element(value, 2) +
      parameter_member_to_pure_function(names) +
      global_element_to_pure_function() + file_named_by_a_parameter("/x") +
      whole_number("12").value_or(0) + filled_by_a_member_function() +
      accessor_then_rename() + view_from_what_it_is_given(names) +
      temporary_key(names));
}
