#include "core/RuleTable.hpp"

#include <array>

namespace kml::verify {
namespace {

constexpr std::array<RuleInfo, 19> kRules{{
    {"KML-R001", "no-inline-asm",
     "No inline asm, module asm or naked functions; target builtins only from "
     "an allowlist.",
     "Inline assembly runs at CPL 0 with no source-level meaning the verifier "
     "can check: one `cli`, `wrmsr` or `mov %cr3` takes the machine. The "
     "binary validator is the second line of defence, not the first. Target "
     "builtins (`__builtin_ia32_*`) are allowed only when they lower to "
     "unprivileged instructions (pause, fences, rdtsc).",
     "int f(void) {\n  asm volatile(\"cli\");\n  return 0;\n}",
     "#include <immintrin.h>\nvoid spin(void) { __builtin_ia32_pause(); }",
     "Remove the assembly; use a kml runtime helper or an allowlisted "
     "builtin."},
    {"KML-R002", "allowlisted-externals",
     "Only allowlisted external functions may be called or have their "
     "address taken; no raw syscall().",
     "External code is not verified. The allowlist names the libc and kml "
     "runtime functions whose behaviour at CPL 0 has been reviewed (they go "
     "through the rewritten syscall path). `syscall()` would bypass the "
     "rewriter's site analysis. Declarations in the reviewed runtime headers "
     "(userspace/lib/kmlrt/include/kml/) are exempt from every rule; "
     "`#pragma system_header` in application code, which would exempt it "
     "too, is rejected.",
     "#include <unistd.h>\n#include <sys/syscall.h>\nlong f(void) { return "
     "syscall(SYS_getpid); }",
     "#include <unistd.h>\nlong f(void) { return getpid(); }",
     "Call an allowlisted libc function or a kml runtime helper instead "
     "(see `kml-verify --list-allowlist`)."},
    {"KML-R003", "no-unsafe-casts",
     "No reinterpret_cast, const_cast, pointer-changing C-style casts or "
     "integer-to-pointer casts.",
     "A cast that changes what a pointer points to defeats every other "
     "rule: bounds, types and ownership are all decided by the pointee type. "
     "Integer-to-pointer casts forge addresses, and in ring 0 an address may "
     "be the kernel's. C's implicit conversion from void * and static_cast "
     "from void * count as casts; converting to void * and adding const do "
     "not. Pointer-to-integer casts only observe an address and are allowed. "
     "A static_cast down a class hierarchy (`static_cast<Derived &>(base)`) "
     "is refused too: nothing checks that the object is a Derived, and its "
     "size and members past the base are the cast's claim.",
     "float bits(int *p) { return *(float *)p; }",
     "#include <string.h>\nfloat bits(int v) {\n  float f;\n  memcpy(&f, &v, "
     "sizeof f);\n  return f;\n}",
     "Copy the bytes (memcpy into a value of the target type) or use "
     "std::bit_cast; keep pointer types unchanged."},
    {"KML-R004", "no-pointer-unions",
     "No unions holding pointers (directly or inside a member).",
     "A union that overlays a pointer with anything else is a cast the "
     "compiler cannot see: write an integer, read a pointer.",
     "union u { long n; int *p; };", "union u { long n; double d; };",
     "Use a tagged struct holding both members, or keep unions to plain "
     "data."},
    {"KML-R005", "no-varargs-definitions", "No variadic function definitions.",
     "va_arg reads the stack with a type the caller did not promise; nothing "
     "bounds it. Calling allowlisted variadic functions (printf) is fine, "
     "defining new ones is not.",
     "#include <stdarg.h>\nint sum(int n, ...) {\n  va_list ap;\n  "
     "va_start(ap, n);\n  int s = va_arg(ap, int);\n  va_end(ap);\n  return "
     "s;\n}",
     "int sum(const int *v, int n); /* or a kml::span<const int> */",
     "Pass a kml::span, an array, or a fixed parameter list."},
    {"KML-R006", "no-pointer-arithmetic",
     "No raw pointer arithmetic and no [] on raw pointers; index through "
     "kml::span/kml::array or a fixed-size array.",
     "Raw pointer arithmetic is where buffer overflows live. Indexing a C "
     "array of known size is accepted even with a non-constant index because "
     "the required -fsanitize=bounds -fsanitize-trap=bounds traps every out "
     "of range access; a constant index must be provably in range. Pointer "
     "parameters, flexible array members and decayed arrays carry no bound, "
     "so [] on them is rejected, and so are application calls to the "
     "runtime's unchecked view constructors (span::unchecked, name##_make).",
     "int sum(const int *p, int n) {\n  int s = 0;\n  for (int i = 0; i < n; "
     "++i)\n    s += p[i];\n  return s;\n}",
     "int sum(const int (&a)[16]) {\n  int s = 0;\n  for (int i = 0; i < 16; "
     "++i)\n    s += a[i];\n  return s;\n}",
     "Use kml::span<T> (or kml::array<T, N>) so every access is "
     "bounds-checked."},
    {"KML-R007", "no-vla-alloca", "No variable-length arrays and no alloca.",
     "Dynamic stack allocation makes the stack bound (KML-R008) impossible "
     "to prove, and at CPL 0 there is no guard page between the application "
     "stack and whatever lies below it during an interrupt.",
     "void f(int n) { char buf[n]; buf[0] = 0; }",
     "void f(void) { char buf[64]; buf[0] = 0; }",
     "Use a fixed-size array or a kml::buffer<T> on the heap."},
    {"KML-R008", "bounded-stack",
     "The worst-case stack over the call graph must stay under the limit; "
     "recursion needs a kml::recursion_bound(N) annotation.",
     "Events taken at CPL 0 push onto the application's stack, so the stack "
     "must be provably bounded. Frame sizes come from the compiler "
     "(-fstack-usage at the TU's own flags); the call graph is built from "
     "the AST, indirect calls go to every address-taken function of the "
     "same type, and each call to an external function is charged a fixed "
     "budget. Every function of a recursive cycle must carry "
     "[[clang::annotate(\"kml::recursion_bound(N)\")]]: at most N activations "
     "of it are live at once.",
     "int depth(int n) { return n ? 1 + depth(n - 1) : 0; }",
     "[[clang::annotate(\"kml::recursion_bound(32)\")]]\nint depth(int n) { "
     "return n > 0 && n < 32 ? 1 + depth(n - 1) : 0; }",
     "Make the recursion iterative, or annotate every function in the cycle "
     "with a proven bound; shrink large locals (move them to a "
     "kml::buffer)."},
    {"KML-R009", "known-indirect-targets",
     "Indirect calls only through function pointers taken explicitly from "
     "named functions.",
     "A function pointer made from data, a cast or an external source can "
     "jump anywhere in a ring-0 address space. If every function-pointer "
     "value starts as `&f`, the set of targets is exactly the address-taken "
     "functions, which KML-R008 also uses. Raw bytes copied over an object "
     "holding function pointers (memcpy, read) are KML-R016's, with every "
     "other pointer.",
     "typedef void (*fn)(void);\nvoid run(long addr) { ((fn)addr)(); }",
     "static void a(void) {}\nstatic void (*const table[])(void) = {a};\n"
     "void run(void) { table[0](); }",
     "Build function pointers only from `&function`; dispatch through a "
     "table or a switch."},
    {"KML-R010", "no-uninitialized-reads",
     "No reads of uninitialised variables.",
     "An uninitialised read leaks whatever the stack held before, which at "
     "CPL 0 may include kernel data pushed by an interrupt frame. Checked "
     "with Clang's uninitialised-values analysis (always, sometimes and maybe "
     "paths); aggregates are additionally zeroed by the required "
     "-ftrivial-auto-var-init=zero.",
     "int f(int c) {\n  int x;\n  if (c)\n    x = 1;\n  return x;\n}",
     "int f(int c) {\n  int x = 0;\n  if (c)\n    x = 1;\n  return x;\n}",
     "Initialise the variable at its declaration."},
    {"KML-R011", "no-escaping-locals",
     "No returning or storing addresses of locals that outlive them.",
     "A dangling stack address is a read/write primitive into whatever later "
     "occupies that stack slot. Returning the address of a local, or storing "
     "it into a global, a static or through a pointer/reference parameter, "
     "is rejected, also when the address passed through a local pointer "
     "variable first. So is a reference that outlives its object: Clang's "
     "lifetime warnings (-Wdangling and -Wreturn-stack-address, with "
     "[[clang::lifetimebound]]) are findings, and where they stop, a "
     "reference (or range-for) bound to the result of a call that returns a "
     "reference while a temporary is bound to one of its reference "
     "parameters of the result's type, or of a type the result may be a "
     "part of (an element, a member), or is its object: `const int &r = "
     "std::max(f(), 3);` may refer to f()'s temporary, and `const int &r = "
     "firstOf(make());` to an element of make()'s, gone at the end of the "
     "statement.",
     "int *g;\nvoid f(void) {\n  int x = 1;\n  g = &x;\n}",
     "int g;\nvoid f(void) {\n  int x = 1;\n  g = x;\n}",
     "Return by value, or let the caller own the storage; keep the result "
     "of a call that may return its temporary argument by value (`const "
     "int r = std::max(f(), 3);`).",
     "The reference is followed through typedefs, decltype(auto), casts "
     "that keep the object, commas, members and elements of the result, "
     "default arguments, function pointers, structured bindings, "
     "aggregates' reference members, `&` into a pointer and returns. Not "
     "seen: a call returning a reference into something other than its "
     "arguments and their parts (assumed not to be the temporary; R019 "
     "watches such a result as possibly in any container); a constructor "
     "that stores a reference "
     "parameter in a member; a lambda's by-reference capture that outlives "
     "the frame; views (std::string_view, std::span, kml::span, "
     "iterators) into temporaries, except where Clang's -Wdangling family "
     "sees them. Addresses passed through globals or containers are not "
     "followed."},
    {"KML-R012", "owning-allocation-only",
     "No raw new/delete/malloc/calloc/realloc/free in application code.",
     "Manual lifetimes give use-after-free and double free. The reviewed "
     "owning types (kml::buffer<T>) free exactly once and carry their "
     "size.",
     "#include <stdlib.h>\nint *make(void) { return malloc(16 * sizeof(int)); "
     "}",
     "#include <kml/buffer.hpp>\nkml::buffer<int> make() { return "
     "kml::buffer<int>(16); }",
     "Use kml::buffer<T> (C++) or the kml runtime allocation helpers (C)."},
    {"KML-R013", "no-exceptions-rtti-setjmp",
     "No exceptions (try/throw), no RTTI (dynamic_cast/typeid), no "
     "setjmp/longjmp.",
     "Unwinding and longjmp transfer control through tables and saved "
     "registers the verifier cannot follow, and the unwinder is not part of "
     "the reviewed runtime.",
     "void f(int v) {\n  if (v < 0)\n    throw v;\n}",
     "[[nodiscard]] bool f(int v) { return v >= 0; } // errors by value",
     "Return error codes (or a result type) and use virtual functions or "
     "tags instead of RTTI."},
    {"KML-R014", "required-compile-flags",
     "The TU must be compiled with -mno-red-zone -fsanitize=bounds "
     "-fsanitize-trap=bounds -ftrivial-auto-var-init=zero "
     "-fstack-protector-strong -fcf-protection=full.",
     "These flags supply the run-time checks the static rules rely on: the "
     "red zone is destroyed by ring-0 interrupt frames, bounds traps back "
     "KML-R006, zero init backs KML-R010, the stack protector catches "
     "overflows, and -fcf-protection=full adds CET IBT (endbr64) and shadow "
     "stack markers, the control-flow integrity every x86-64 toolchain "
     "supports without LTO. A later flag that undoes one (e.g. -mred-zone) "
     "counts as missing.",
     "clang -O2 -c app.c", "clang -O2 $(kml-verify --required-flags) -c app.c",
     "Add the flags printed by `kml-verify --required-flags`."},
    {"KML-R015", "no-runtime-executable-memory",
     "No executable memory made at run time: no mmap/mprotect/pkey_mprotect "
     "with PROT_EXEC, or with a protection not provably without it.",
     "While a ring-0 task is current the kernel runs with SMEP relaxed for "
     "that task's user pages, so NX is the remaining guard: the only "
     "executable user pages must be the program's own code from its ELF "
     "file, which the verifier and the binary validator have checked. Memory "
     "mapped or re-protected executable at run time (a JIT, a memfd mapped "
     "with PROT_EXEC, mprotect on data) is code no layer has seen, running at "
     "CPL 0. A protection that is an integer constant is rejected when "
     "PROT_EXEC is set; one that is not a constant is rejected because "
     "PROT_EXEC cannot be proved clear, and so is taking the address of these "
     "functions. shmat() with SHM_EXEC and personality() with "
     "READ_IMPLIES_EXEC are rejected the same way. Raw syscall() is already "
     "KML-R002's.",
     "#include <sys/mman.h>\nvoid *jit(void) {\n  return mmap(0, 4096, "
     "PROT_READ | PROT_WRITE | PROT_EXEC,\n              MAP_PRIVATE | "
     "MAP_ANONYMOUS, -1, 0);\n}",
     "static int add(int a, int b) { return a + b; }\nstatic int sub(int a, "
     "int b) { return a - b; }\nstatic int (*const ops[])(int, int) = {add, "
     "sub};\nint run(int op, int a, int b) {\n  return op == 0 || op == 1 ? "
     "ops[op](a, b) : 0;\n}",
     "Keep data non-executable (PROT_NONE, PROT_READ, PROT_READ | "
     "PROT_WRITE, as constants); interpret, or dispatch through a table of "
     "named functions, instead of generating code."},
    {"KML-R016", "no-bytes-into-pointers",
     "No pointer made from bytes: no byte-level write into an object that "
     "holds a pointer, and no bit cast to such a type.",
     "At CPL 0 a pointer whose value came from bytes (a constant, the "
     "input, a counter) is an arbitrary kernel write. Typed code makes "
     "pointers only from addresses, allocations, array decay and other "
     "pointers (KML-R003 forbids the casts), so forged ones come in as "
     "bytes: memcpy, memmove, memset, bzero, read, pread, recv, fread, or any "
     "function of the program's own, over an object whose type holds a data "
     "or function pointer, a reference, a member pointer or a vtable "
     "pointer. Each of them takes the object as `void *`, so the rule rejects "
     "that conversion whatever the callee; a `const void *` view (reading a "
     "pointer's bytes out) is allowed. The ways around it are closed too: a "
     "call to a C function without a prototype (its arguments are not "
     "converted), C's searches that return a writable pointer into the "
     "const object they were given (memchr, strchr, strstr, bsearch...), "
     "and the printf family, whose pointers are variadic: Clang's format "
     "checks are findings (`%ln` with an `int **`) and the format must be "
     "a literal. std::bit_cast (called or by address) and "
     "__builtin_bit_cast to a type holding a pointer are rejected for the "
     "same reason. _Atomic pointers count as pointers, and a struct that is "
     "incomplete in the TU counts as holding one. Pointer-free objects take "
     "bytes freely.",
     "#include <string.h>\nint main(void) {\n  long a = 0x1000;\n  int *p;\n"
     "  memcpy(&p, &a, sizeof p);\n  *p = 1;\n  return 0;\n}",
     "#include <string.h>\nstruct rec {\n  int id;\n  char name[16];\n};\n"
     "void load(struct rec *out, const unsigned char *bytes) {\n"
     "  memcpy(out, bytes, sizeof *out);\n}",
     "Assign pointers from `&object` or from another pointer; clear a "
     "struct with `= {0}` or `{}` rather than memset; read input into a "
     "pointer-free buffer and build the object field by field.",
     "Lengths are KML-R017's: a byte writer given a pointer-free part of "
     "an object and a length larger than that part (memset(&s.count, 0x41, "
     "sizeof s), read() into a char[] member with the struct's size) would "
     "write into the pointers next to it, and R017 refuses the length. The "
     "reviewed runtime headers and the system headers are trusted: a byte "
     "write inside them is not reported. Bytes that become an integer and "
     "then an index stay legal: bounds are KML-R006's."},
    {"KML-R017", "bounded-byte-writes",
     "Every byte-level write stays inside its destination: its length is "
     "proved no larger than the object it writes.",
     "memcpy, memmove, memset, bzero, read, pread, recv, fread, fgets, "
     "snprintf and the other writers that take a pointer and a length trust "
     "both; a length past the object writes over what follows it, which at "
     "CPL 0 is return addresses and the pointers beside the object. The "
     "pinned -fsanitize=bounds sees only the program's own indexing, never "
     "inside libc, so each call is proved. The destination's size comes "
     "from its type: a whole array, the object `&x` names (`&a[k]`: the "
     "rest of the array), one `T` behind a named `T *` (KML-R006 leaves no "
     "way to point into the middle of something), `std::array`'s `data()`, "
     "one element behind a vector's or string's `data()`; a pointer another "
     "call returns has no known size. The length's upper bound must be a "
     "constant no larger than that: sizeof, constants, the library's "
     "`strnlen(s, N)` and `std::min`, a `?:` that picks the smaller in "
     "unsigned arithmetic (`n < sizeof b ? n : sizeof b`, with const "
     "library methods such as size() read twice), unsigned `%` and `&`, and "
     "locals nothing changes after their initialiser (Clang's "
     "ExprMutationAnalyzer). A length with a side effect is unbounded, and "
     "fread's size times count must not overflow 64 bits (a product that "
     "wraps to a small number bounds nothing). Or "
     "the length is the container's own: `v.data()` with `v.size()` (or "
     "`size() * k`, `size_bytes()`, `std::min` of one) of the same vector, "
     "string, array or span, when no other argument names the container or "
     "calls the program's own code. The compiler's `__builtin_mem*` and "
     "`*_chk` spellings are writers too, and taking a writer's address is "
     "refused: its calls could not be seen. glibc's _FORTIFY_SOURCE is not "
     "relied on: it knows only sizes the compiler sees at the call, and in "
     "C it turns printf into __printf_chk, whose format Clang does not "
     "check (KML-R016 needs that check).",
     "#include <string.h>\nstruct rec {\n  int count;\n  char *name;\n};\n"
     "void reset(struct rec *r) { memset(&r->count, 0, sizeof *r); }",
     "#include <unistd.h>\nint main(void) {\n  char line[128];\n"
     "  return read(0, line, sizeof line) < 0;\n}",
     "Write at most the destination's own size (`sizeof` of the object "
     "written, not of what holds it); bound a run-time length by a "
     "constant (`std::min(n, sizeof buf)`, `n < sizeof buf ? n : sizeof "
     "buf`, `strnlen(s, N)`), or pass a container's own `data()` and "
     "`size()`.",
     "Reads are not checked: a length past the source reads the program's "
     "own memory, which cannot reach the kernel's (the non-canonical hole "
     "lies between) but may leak the program's data. The bound does not "
     "follow comparisons before the call (`if (n > sizeof buf) return;` "
     "does not bound n), loops or variables changed after their "
     "initialiser. Writers are known by name (the table in "
     "BoundedWritesRule.cpp, kept equal to the writers KML-R002 admits by "
     "a unit test); the reviewed runtime and system headers are trusted. "
     "Data races are not modelled: another thread changing `n` or the "
     "container between the two reads of a `?:` or of data() and size() "
     "is outside what the verifier proves."},
    {"KML-R018", "checked-library-use",
     "The C++ standard library only through the interfaces that check "
     "themselves: no iterator as a value, no pointer and length, no raw "
     "pointer into or out of a smart pointer, no smart pointer to an "
     "array.",
     "The standard library is admitted in hardened mode (libstdc++ with "
     "_GLIBCXX_ASSERTIONS, which KML-R014 checks): operator[], front, back, "
     "pop_back, optional's operator*, span's subspan and string_view's "
     "remove_prefix check their argument and abort (SIGABRT) when it is "
     "wrong; at(), value() and std::get abort the same way. Nothing in it "
     "checks an iterator: `*(v.begin() + 10)`, `*m.find(k)` when the key is "
     "missing, or an iterator kept after its element is gone write or read "
     "wherever they point, which at CPL 0 is anywhere in the program. So an "
     "iterator may not be a value in the program's code: it lives only "
     "inside a range-for, which owns its iterators, or as a whole-range "
     "pair, `c.begin(), c.end()` or `std::begin(c), std::end(c)` of one "
     "named standard container, view or array (a class of the program's "
     "own may return anything from begin() and end()), handed to a call "
     "(std::sort, a constructor, assign); erase and replace need a pair of "
     "their own object, assign, insert and the constructors one of another "
     "object. A library constructor or std::ranges algorithm given a range "
     "of the program's own type is refused for the same reason, and so is "
     "a call that appends through std::back_inserter(c) to a container it "
     "also reads. "
     "Also refused: a standard function given a pointer followed by a "
     "length (std::string(p, n), std::string_view(p, n), std::span(p, n), "
     "append(p, n), copy(p, n)) or two pointers that are not a whole-range "
     "pair, since it cannot check that they belong together; `get()` and "
     "`release()`, which take a raw pointer out of a smart pointer and leave "
     "it without an owner; a smart pointer constructed or reset from a raw "
     "pointer (only make_unique and make_shared make owners); "
     "unique_ptr/shared_ptr of an array, whose operator[] checks no bounds; "
     "a raw pointer as an algorithm's position (std::ranges::copy(a, b) "
     "into an array, b.data() or &x: only whole-range pairs and "
     "std::back_inserter are bounded positions); a span's data(), which "
     "points past the end of an empty span; and a "
     "sort (std::sort, stable_sort, their ranges versions) by an order of "
     "the program's own, a comparator, a projection other than a data "
     "member, or an element's own operator<: libstdc++'s sort trusts the "
     "order to be a strict weak ordering, and `return true;` or `a <= b` "
     "walks its unguarded loops out of the buffer. Sorts by numbers, "
     "strings, pairs and tuples of them, std::less/std::greater, and by a "
     "data member of such a type are accepted.",
     "#include <map>\nint lookup(const std::map<int, int> &m, int k) {\n"
     "  return m.find(k)->second;\n}",
     "#include <map>\nint lookup(const std::map<int, int> &m, int k) {\n"
     "  return m.contains(k) ? m.at(k) : -1;\n}",
     "Loop with range-for; index with [] or at(); ask with contains(), "
     "count() or find() on a string (an index); use the ranges algorithms "
     "on the whole container (std::ranges::sort(v), "
     "std::ranges::count_if(v, pred), std::ranges::max(v)); build views "
     "from whole objects (std::span(v), std::string_view(s)); own with "
     "std::make_unique and std::make_shared; use std::vector for arrays.",
     "A whole-range pair is recognised only on a named object (a variable, "
     "a member of one, `*this`): `f().begin(), f().end()` is two different "
     "objects and refused. The reviewed runtime's types (kml::span, "
     "kml::buffer) are trusted as ranges. The rule trusts the library's own "
     "code and its "
     "assertions (GCC 12's headers, the ones Debian 12's Clang uses); it "
     "does not see a container changed while a range-for or a reference "
     "into it is live (KML-R019's)."},
    {"KML-R019", "no-invalidated-references",
     "Nothing refers into a standard container across a change that may "
     "move or free what it holds.",
     "A std::vector or std::string that grows reallocates, an erase frees, "
     "an unordered_map that rehashes moves its buckets, an optional or "
     "unique_ptr that is reset destroys its value. A reference, a pointer, "
     "a view, a struct, tuple or lambda holding one, or a range-for's hidden "
     "iterators into the old storage then read and write freed heap memory, "
     "and at CPL 0 a use after free is a write anywhere. The library's "
     "assertions cannot see it. A watched region is where something refers "
     "into a container: a range-for's body (over the container or a view of "
     "it), the rest of the block after a local is bound into it (`auto &r = "
     "v[0]`, `int *p = &v[0]`, `std::string_view s = str`, `std::span sp = "
     "v`, `m.at(k)`, `*p` of a unique_ptr or shared_ptr, "
     "`std::get<T>(var)`, `std::data(v)`, `auto t = std::tie(v[0])`, a "
     "lambda capturing `&r = v[0]` or returning a reference into what it "
     "captured, the program's own `int &first(v)`, and any local or loop "
     "variable that itself refers into the container), the "
     "if, switch, for or while that declares one, and a lambda given to a "
     "library call with the container (std::ranges::for_each, "
     "std::erase_if). In a region the rule refuses: a library member that "
     "changes the shape (push_back, insert, erase, clear, resize, reserve, "
     "assign, swap, append, +=, operator=, a map's operator[], reset...) of "
     "the container or of an object that may hold it (an enclosing struct, "
     "an optional, a vector of vectors, anything behind a pointer of that "
     "type), a non-const member of the program's own on such an object, "
     "handing such an object to a function as a non-const reference or "
     "pointer, moving from it, an indirect call, and calling the "
     "program's own code at all when the container is not a local of its "
     "own whose address never escapes (a function may reach a global, a "
     "member or a parameter's referent). Two different locals of their "
     "own are two objects; a local of its own is no parameter's referent, "
     "global or member. Everywhere, a call may not be given a container "
     "and something referring into it together (`f(v, v[0])`), a function "
     "of the program's own may not be given a reference into a container "
     "it can reach another way (`set(g[0])` with g global), a view, "
     "pointer or reference into a container may not be added to a "
     "container of views, and a holder may not be rebound into a container "
     "by assignment. In a region over a container that is not a local of "
     "its own, making or destroying an object whose constructor or "
     "destructor is the program's own, and a library call given a "
     "function, function pointer, lambda or functor of the program's own, "
     "count as calling the program's own code, as does a library call "
     "given a type whose operators, constructor or destructor are the "
     "program's (a map's comparator, std::sort's operator<); declaring in "
     "namespace std is refused. The program's own accessor (`h.name()`, "
     "`h[0]`) refers into its object; what a function of the program's "
     "returns when it may reach more than its arguments (a global) refers "
     "into any container. A global view, pointer or reference into a "
     "container, a view or pointer into a temporary through a view's "
     "member (`span(make()).subspan(1)`), what a parameter refers to kept "
     "in something that is not a local (`gp = &x;`), and a call given a "
     "view, pointer or reference it may change together with something "
     "that refers into a container (`keep(out, s)`) are refused. Not "
     "watched, because "
     "nothing can change them: a const variable of library types (and its "
     "elements), a temporary of the full-expression that holds no "
     "reference, and a copy of an element that is itself a view or "
     "pointer (it refers to what the element refers to). A function that "
     "can reach only what it is given (a free function whose parameters "
     "hold no container to change, without default arguments, naming no "
     "global but constant data, calling only the library on its own types "
     "and functions like itself, making no object with a constructor or "
     "destructor of the program's) may be called in a region and given a "
     "view of a container reachable another way.",
     "#include <vector>\nint f(std::vector<int> &v) {\n"
     "  const int &first = v[0];\n  v.push_back(1);\n  return first;\n}",
     "#include <vector>\nint f(std::vector<int> &v) {\n"
     "  const int first = v[0];\n  v.push_back(1);\n  return first;\n}",
     "Copy the value out (`const int first = v[0];`), keep an index instead "
     "of a reference, finish the loop before changing the container, or "
     "collect the changes and apply them after it.",
     "A reference is watched until the end of its block, used or not. "
     "Functions of the program's own called with a local of its own are "
     "trusted not to reach it another way, which they cannot without its "
     "address. Storing into a member or a global by assignment (`p_ = "
     "&v[0];`) is refused as a rebinding, but a reference or pointer "
     "member initialised in a constructor (`H(std::vector<int> &v) : "
     "r(v[0]) {}`) outlives every region and is not followed. A `mutable` "
     "container changed by a const "
     "method is not seen. Data races are not modelled. A function is "
     "judged to reach only what it is given from its own body and its "
     "callees' (six deep); a function the analysis cannot finish is "
     "judged to reach anything. Known gaps, each a program a review wrote "
     "that still passes: a local bound to a reference member by aggregate "
     "initialisation (`Ref r{v}`), by std::tie, or by a "
     "back_insert_iterator variable does not count as escaping; a view "
     "emplaced into a container of views from a std::string argument; a "
     "std::optional<std::string_view> (or another holder that is not a "
     "view or pointer) of a temporary; pointers and views into containers "
     "or temporaries stored by member initialisers and constructors; a "
     "structured binding's view followed into a global; a by-value span of "
     "views filled as an out-parameter; a function returning into a "
     "container nested two levels in its argument; std::ranges::copy of "
     "views into a global container through back_inserter; and "
     "`std::string_view sv{make()}` with braces."},
}};

} // namespace

std::span<const RuleInfo> ruleTable() { return kRules; }

const RuleInfo *findRule(std::string_view id) {
  for (const RuleInfo &r : kRules)
    if (r.id == id)
      return &r;
  return nullptr;
}

int ruleIndex(std::string_view id) {
  for (std::size_t i = 0; i < kRules.size(); ++i)
    if (kRules[i].id == id)
      return static_cast<int>(i);
  return -1;
}

} // namespace kml::verify
