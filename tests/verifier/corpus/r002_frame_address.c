// EXPECT: KML-R002
// __builtin_frame_address exposes the stack layout.
unsigned long where(void) {
  return (unsigned long)__builtin_frame_address(0);
}
