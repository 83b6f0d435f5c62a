#include "kml/gate/json.hpp"

#include "kml/gate/gate_error.hpp"

#include <cstdint>
#include <utility>

namespace kml::gate {
namespace {

// Deep enough for any attestation, shallow enough that hostile input
// cannot exhaust the stack.
constexpr int kMaxDepth = 64;

class JsonParser {
public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  JsonValue document() {
    JsonValue value = parseValue(0);
    skipSpace();
    if (pos_ != text_.size()) {
      fail("text after the JSON value");
    }
    return value;
  }

private:
  [[noreturn]] void fail(const std::string &what) const {
    throw GateError("invalid JSON at byte " + std::to_string(pos_) + ": " +
                    what);
  }

  void skipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  char peek() {
    skipSpace();
    if (pos_ >= text_.size()) {
      fail("unexpected end");
    }
    return text_[pos_];
  }

  void expect(char c) {
    if (peek() != c) {
      fail(std::string("expected '") + c + "'");
    }
    ++pos_;
  }

  bool consumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  JsonValue parseValue(int depth) {
    if (depth > kMaxDepth) {
      fail("nested too deeply");
    }
    JsonValue value;
    const char c = peek();
    if (c == '{') {
      value.kind = JsonValue::Kind::Object;
      parseObject(value, depth);
    } else if (c == '[') {
      value.kind = JsonValue::Kind::Array;
      parseArray(value, depth);
    } else if (c == '"') {
      value.kind = JsonValue::Kind::String;
      value.text = parseString();
    } else if (consumeWord("true")) {
      value.kind = JsonValue::Kind::Bool;
      value.boolean = true;
    } else if (consumeWord("false")) {
      value.kind = JsonValue::Kind::Bool;
    } else if (consumeWord("null")) {
      value.kind = JsonValue::Kind::Null;
    } else {
      value.kind = JsonValue::Kind::Number;
      value.text = parseNumber();
    }
    return value;
  }

  void parseObject(JsonValue &value, int depth) {
    expect('{');
    if (peek() == '}') {
      ++pos_;
      return;
    }
    for (;;) {
      if (peek() != '"') {
        fail("expected a member name");
      }
      std::string name = parseString();
      expect(':');
      value.members.push_back({std::move(name), parseValue(depth + 1)});
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}');
      return;
    }
  }

  void parseArray(JsonValue &value, int depth) {
    expect('[');
    if (peek() == ']') {
      ++pos_;
      return;
    }
    for (;;) {
      value.items.push_back(parseValue(depth + 1));
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']');
      return;
    }
  }

  static bool isDigit(char c) { return c >= '0' && c <= '9'; }

  std::string parseNumber() {
    const std::size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') {
      ++pos_;
    }
    const std::size_t digits = pos_;
    while (pos_ < text_.size() &&
           (isDigit(text_[pos_]) || text_[pos_] == '.' || text_[pos_] == 'e' ||
            text_[pos_] == 'E' || text_[pos_] == '+' || text_[pos_] == '-')) {
      ++pos_;
    }
    if (pos_ == digits || !isDigit(text_[digits])) {
      fail("expected a value");
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  unsigned hexQuad() {
    if (text_.size() - pos_ < 4) {
      fail("short \\u escape");
    }
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (isDigit(c)) {
        value |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        fail("bad \\u escape");
      }
    }
    return value;
  }

  static void appendUtf8(std::string &out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  void parseEscape(std::string &out) {
    if (pos_ >= text_.size()) {
      fail("unterminated string");
    }
    const char c = text_[pos_++];
    switch (c) {
    case '"':
    case '\\':
    case '/':
      out += c;
      return;
    case 'b':
      out += '\b';
      return;
    case 'f':
      out += '\f';
      return;
    case 'n':
      out += '\n';
      return;
    case 'r':
      out += '\r';
      return;
    case 't':
      out += '\t';
      return;
    case 'u': {
      std::uint32_t cp = hexQuad();
      if (cp >= 0xd800 && cp < 0xdc00 && consumeWord("\\u")) {
        const std::uint32_t low = hexQuad();
        if (low < 0xdc00 || low >= 0xe000) {
          fail("bad surrogate pair");
        }
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      }
      appendUtf8(out, cp);
      return;
    }
    default:
      fail("bad escape");
    }
  }

  std::string parseString() {
    expect('"');
    std::string out;
    for (;;) {
      if (pos_ >= text_.size()) {
        fail("unterminated string");
      }
      const char c = text_[pos_++];
      if (c == '"') {
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        fail("control character in a string");
      }
      if (c == '\\') {
        parseEscape(out);
      } else {
        out += c;
      }
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

} // namespace

const JsonValue *JsonValue::member(std::string_view name) const {
  for (const JsonMember &candidate : members) {
    if (candidate.name == name) {
      return &candidate.value;
    }
  }
  return nullptr;
}

JsonValue parseJson(std::string_view text) {
  return JsonParser(text).document();
}

} // namespace kml::gate
