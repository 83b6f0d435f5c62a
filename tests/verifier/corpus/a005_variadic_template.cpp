// EXPECT: accept
// Near miss: variadic templates are type-checked per call.
template <typename... Ts> constexpr int count(Ts...) { return sizeof...(Ts); }

int three() { return count(1, 2.0, 'c'); }
