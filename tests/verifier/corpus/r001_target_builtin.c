// EXPECT: KML-R001
// wbinvd is privileged; its builtin is not on the allowlist.
void flush_all(void) { __builtin_ia32_wbinvd(); }
