// EXPECT: KML-R002
// Declaring application code a system header would exempt it from review.
#pragma clang system_header
int main(void) { return 0; }
