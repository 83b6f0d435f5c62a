// EXPECT: accept
// Near miss: a string literal is an array of known size.
char hex_digit(unsigned v) { return "0123456789abcdef"[v & 15u]; }
