// EXPECT: KML-R005
// Even without va_start, the definition accepts unchecked arguments.
int ignore(const char *fmt, ...) { return fmt != 0; }
