// EXPECT: accept
// Near miss: the recommended replacement, a tagged struct.
struct Value {
  enum class Kind { Text, Number } kind;
  const char *text = nullptr;
  long number = 0;
};

long number_of(const Value &v) {
  return v.kind == Value::Kind::Number ? v.number : 0;
}
