// The reviewed externals. Each entry is a function whose behaviour at CPL 0
// is understood: pure computation, or a libc wrapper that ends in a syscall
// site the rewriter handles.
#include "rules/Rules.hpp"

#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Mangle.h>

#include <algorithm>
#include <array>
#include <ranges>

namespace kml::verify {

const std::vector<std::string_view> &externalAllowlist() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v{
        // stdio (buffered output ends in write(2))
        "printf", "fprintf", "snprintf", "vsnprintf", "vfprintf", "vprintf",
        "puts", "fputs", "putchar", "fputc", "putc", "fflush", "fwrite",
        "perror",
        // stdio files: fgets and fread are bounded by KML-R017, fread's
        // buffer is pointer-free by KML-R016
        "fopen", "fclose", "fgets", "fread", "feof", "ferror",
        // unistd / time: plain syscall wrappers
        "write", "read", "pread", "pwrite", "close", "lseek", "getpid",
        "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid",
        "sched_yield", "clock_gettime", "gettimeofday", "time", "nanosleep",
        "usleep", "sleep", "exit", "_exit", "_Exit", "abort",
        // string.h / stdlib.h: pure computation on caller-sized buffers
        "memcpy", "memmove", "memset", "memcmp", "memchr", "strlen", "strnlen",
        "strcmp", "strncmp", "strchr", "strrchr", "strstr", "strerror",
        "strtol", "strtoul", "strtoll", "strtoull", "atoi", "atol", "abs",
        "labs", "llabs", "rand", "srand",
        // ctype.h (glibc macros expand to the *_loc accessors)
        "isalpha", "isdigit", "isalnum", "isspace", "isupper", "islower",
        "isxdigit", "isprint", "ispunct", "toupper", "tolower", "__ctype_b_loc",
        "__ctype_tolower_loc", "__ctype_toupper_loc",
        // errno and assert as glibc expands them
        "__errno_location", "__assert_fail",
        // math.h
        "sqrt", "sqrtf", "fabs", "fabsf", "floor", "ceil", "round", "pow",
        "exp", "log", "sin", "cos", "tan", "fmin", "fmax",
        // x86 intrinsics that lower to unprivileged instructions
        "_mm_pause", "_mm_lfence", "_mm_mfence", "_mm_sfence", "__rdtsc",
        // C++: vocabulary functions with no hidden allocation or throw
        "std::move", "std::forward", "std::min", "std::max", "std::clamp",
        "std::swap", "std::exchange", "std::size", "std::data", "std::begin",
        "std::end", "std::bit_cast", "std::addressof", "std::abs",
        "std::is_constant_evaluated", "std::to_underlying"};
    std::ranges::sort(v);
    return v;
  }();
  return names;
}

// The C++ standard library, admitted in hardened mode: libstdc++ with
// _GLIBCXX_ASSERTIONS (KML-R014 checks the headers were compiled so), whose
// containers, views and vocabulary types check their own bounds and states
// and abort (SIGABRT) when a check fails. A class admits every member,
// constructor, conversion and operator it declares; what has no safe use
// is refused by shape, not by name, by KML-R018 (iterators as values,
// pointer-and-length, raw pointers out of or into smart pointers) and
// KML-R019 (references and views kept across a change of their container).
// Reviewed against GCC 12's headers, the ones Debian 12's Clang uses.
const std::vector<LibraryEntry> &libraryAllowlist() {
  static const std::vector<LibraryEntry> entries{
      // containers
      {"std::vector", "<vector>", LibraryEntry::Class},
      {"std::array", "<array>", LibraryEntry::Class},
      {"std::deque", "<deque>", LibraryEntry::Class},
      {"std::basic_string", "<string>", LibraryEntry::Class},
      {"std::map", "<map>", LibraryEntry::Class},
      {"std::set", "<set>", LibraryEntry::Class},
      {"std::unordered_map", "<unordered_map>", LibraryEntry::Class},
      {"std::unordered_set", "<unordered_set>", LibraryEntry::Class},
      // views
      {"std::basic_string_view", "<string_view>", LibraryEntry::Class},
      {"std::span", "<span>", LibraryEntry::Class},
      // vocabulary types
      {"std::optional", "<optional>", LibraryEntry::Class},
      {"std::variant", "<variant>", LibraryEntry::Class},
      {"std::pair", "<utility>", LibraryEntry::Class},
      {"std::tuple", "<tuple>", LibraryEntry::Class},
      {"std::unique_ptr", "<memory>", LibraryEntry::Class},
      {"std::shared_ptr", "<memory>", LibraryEntry::Class},
      {"std::__shared_ptr", "<memory>", LibraryEntry::Class},
      {"std::__shared_ptr_access", "<memory>", LibraryEntry::Class},
      {"std::chrono::duration", "<chrono>", LibraryEntry::Class},
      {"std::chrono::time_point", "<chrono>", LibraryEntry::Class},
      {"std::chrono::steady_clock", "<chrono>", LibraryEntry::Class},
      {"std::chrono::system_clock", "<chrono>", LibraryEntry::Class},
      {"std::back_insert_iterator", "<iterator>", LibraryEntry::Class},
      {"std::__cmp_cat::__unspec", "<compare>", LibraryEntry::Class},
      // vector<bool>'s proxies
      {"std::_Bit_reference", "<vector>", LibraryEntry::Class},
      // the iterators a range-for or a whole-range pair uses (KML-R018
      // keeps them there)
      {"__gnu_cxx::__normal_iterator", "<vector>", LibraryEntry::Class},
      {"std::_Rb_tree_iterator", "<map>", LibraryEntry::Class},
      {"std::_Rb_tree_const_iterator", "<map>", LibraryEntry::Class},
      {"std::__detail::_Node_iterator", "<unordered_map>", LibraryEntry::Class},
      {"std::__detail::_Node_const_iterator", "<unordered_map>",
       LibraryEntry::Class},
      {"std::_Deque_iterator", "<deque>", LibraryEntry::Class},
      {"std::_Bit_iterator", "<vector>", LibraryEntry::Class},
      {"std::_Bit_const_iterator", "<vector>", LibraryEntry::Class},
      {"std::reverse_iterator", "<iterator>", LibraryEntry::Class},
      // <algorithm>'s ranges versions take the container itself
      {"std::ranges::__sort_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__stable_sort_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__reverse_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__fill_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__count_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__count_if_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__all_of_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__any_of_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__none_of_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__equal_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__min_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__max_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__for_each_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__copy_fn", "<algorithm>", LibraryEntry::Class},
      {"std::ranges::__transform_fn", "<algorithm>", LibraryEntry::Class},
      // functions
      {"std::make_unique", "<memory>", LibraryEntry::Function},
      {"std::make_shared", "<memory>", LibraryEntry::Function},
      {"std::sort", "<algorithm>", LibraryEntry::Function},
      {"std::stable_sort", "<algorithm>", LibraryEntry::Function},
      {"std::reverse", "<algorithm>", LibraryEntry::Function},
      {"std::fill", "<algorithm>", LibraryEntry::Function},
      {"std::count", "<algorithm>", LibraryEntry::Function},
      {"std::count_if", "<algorithm>", LibraryEntry::Function},
      {"std::equal", "<algorithm>", LibraryEntry::Function},
      {"std::all_of", "<algorithm>", LibraryEntry::Function},
      {"std::any_of", "<algorithm>", LibraryEntry::Function},
      {"std::none_of", "<algorithm>", LibraryEntry::Function},
      {"std::for_each", "<algorithm>", LibraryEntry::Function},
      {"std::accumulate", "<numeric>", LibraryEntry::Function},
      {"std::iota", "<numeric>", LibraryEntry::Function},
      {"std::gcd", "<numeric>", LibraryEntry::Function},
      {"std::lcm", "<numeric>", LibraryEntry::Function},
      {"std::get", "<variant>, <tuple>", LibraryEntry::Function},
      {"std::visit", "<variant>", LibraryEntry::Function},
      {"std::holds_alternative", "<variant>", LibraryEntry::Function},
      {"std::make_pair", "<utility>", LibraryEntry::Function},
      {"std::make_tuple", "<tuple>", LibraryEntry::Function},
      {"std::tie", "<tuple>", LibraryEntry::Function},
      {"std::to_string", "<string>", LibraryEntry::Function},
      {"std::stoi", "<string>", LibraryEntry::Function},
      {"std::stol", "<string>", LibraryEntry::Function},
      {"std::stoll", "<string>", LibraryEntry::Function},
      {"std::stoul", "<string>", LibraryEntry::Function},
      {"std::stoull", "<string>", LibraryEntry::Function},
      {"std::erase", "<vector>, <string>, <deque>", LibraryEntry::Function},
      {"std::erase_if", "<vector>, <string>, <deque>, <map>, <set>",
       LibraryEntry::Function},
      {"std::from_chars", "<charconv>", LibraryEntry::Function},
      {"std::back_inserter", "<iterator>", LibraryEntry::Function},
      {"std::ssize", "<iterator>", LibraryEntry::Function},
      {"std::empty", "<iterator>", LibraryEntry::Function},
      {"std::chrono::duration_cast", "<chrono>", LibraryEntry::Function},
  };
  return entries;
}

bool isAdmittedLibraryFunction(const clang::FunctionDecl &fn) {
  const auto &entries = libraryAllowlist();
  auto listed = [&](std::string_view name, LibraryEntry::Kind kind) {
    return std::ranges::any_of(entries, [&](const LibraryEntry &e) {
      return e.kind == kind && e.name == name;
    });
  };
  if (const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(&fn))
    return listed(plainQualifiedName(*method->getParent()),
                  LibraryEntry::Class);
  if (fn.isOverloadedOperator()) {
    // Comparisons and arithmetic between admitted types (string
    // concatenation, durations); never << or >> (the iostreams).
    switch (fn.getOverloadedOperator()) {
    case clang::OO_EqualEqual:
    case clang::OO_ExclaimEqual:
    case clang::OO_Less:
    case clang::OO_LessEqual:
    case clang::OO_Greater:
    case clang::OO_GreaterEqual:
    case clang::OO_Spaceship:
    case clang::OO_Plus:
    case clang::OO_Minus:
    case clang::OO_Star:
    case clang::OO_Slash:
    case clang::OO_Percent:
      break;
    default:
      return false;
    }
    const std::string ns = plainQualifiedName(fn);
    static constexpr std::array<std::string_view, 4> libraryOperatorScopes{
        "std::operator", "std::chrono::operator", "__gnu_cxx::operator",
        "std::__detail::operator"};
    return std::ranges::any_of(
        libraryOperatorScopes,
        [&ns](std::string_view prefix) { return ns.starts_with(prefix); });
  }
  return listed(plainQualifiedName(fn), LibraryEntry::Function);
}

bool isAllowlistedExternal(std::string_view name) {
  const auto &v = externalAllowlist();
  return std::ranges::binary_search(v, name);
}

const std::vector<std::string_view> &targetBuiltinAllowlist() {
  static const std::vector<std::string_view> names{
      "__builtin_ia32_lfence", "__builtin_ia32_mfence", "__builtin_ia32_pause",
      "__builtin_ia32_rdtsc", "__builtin_ia32_rdtscp", "__builtin_ia32_sfence",
      // the <immintrin.h> spellings Clang also treats as target builtins
      "_mm_lfence", "_mm_mfence", "_mm_pause", "_mm_sfence", "__rdtsc",
      "__rdtscp"};
  return names;
}

bool isAllowlistedTargetBuiltin(std::string_view name) {
  const auto &v = targetBuiltinAllowlist();
  return std::ranges::find(v, name) != v.end();
}

bool isAllocationFunction(const clang::FunctionDecl &fn) {
  switch (fn.getDeclName().getCXXOverloadedOperator()) {
  case clang::OO_New:
  case clang::OO_Array_New:
  case clang::OO_Delete:
  case clang::OO_Array_Delete:
    return true;
  default:
    break;
  }
  if (!fn.getDeclName().isIdentifier() || fn.isCXXClassMember())
    return false;
  static constexpr std::string_view kNames[] = {"malloc",
                                                "calloc",
                                                "realloc",
                                                "reallocarray",
                                                "free",
                                                "aligned_alloc",
                                                "posix_memalign",
                                                "memalign",
                                                "valloc",
                                                "pvalloc",
                                                "strdup",
                                                "strndup",
                                                "__builtin_malloc",
                                                "__builtin_calloc",
                                                "__builtin_realloc",
                                                "__builtin_free",
                                                "__builtin_strdup",
                                                "__builtin_strndup",
                                                "mmap",
                                                "munmap",
                                                "brk",
                                                "sbrk"};
  llvm::StringRef name = fn.getName();
  return std::ranges::find(kNames, name.str()) != std::end(kNames);
}

bool isNonLocalJumpFunction(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "setjmp",           "_setjmp",           "__sigsetjmp", "sigsetjmp",
      "longjmp",          "_longjmp",          "siglongjmp",  "__longjmp_chk",
      "__builtin_setjmp", "__builtin_longjmp", "savectx",     "vfork"};
  return std::ranges::find(kNames, name) != std::end(kNames);
}

bool isStackAllocationFunction(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "alloca", "__builtin_alloca", "__builtin_alloca_with_align",
      "__builtin_alloca_uninitialized",
      "__builtin_alloca_with_align_uninitialized"};
  return std::ranges::find(kNames, name) != std::end(kNames);
}

std::string plainQualifiedName(const clang::NamedDecl &d) {
  std::vector<std::string> parts;
  const clang::DeclContext *dc = d.getDeclContext();
  parts.push_back(d.getDeclName().getAsString());
  for (; dc && !dc->isTranslationUnit(); dc = dc->getParent()) {
    if (const auto *nd = llvm::dyn_cast<clang::NamedDecl>(dc)) {
      if (const auto *ns = llvm::dyn_cast<clang::NamespaceDecl>(nd);
          ns && ns->isInline())
        continue; // std::__1 and friends
      std::string n = nd->getDeclName().getAsString();
      if (!n.empty())
        parts.push_back(std::move(n));
    }
  }
  std::string out;
  for (auto &part : std::ranges::reverse_view(parts)) {
    if (!out.empty())
      out += "::";
    out += part;
  }
  return out;
}

SymbolNames::SymbolNames() = default;
SymbolNames::~SymbolNames() = default;

void SymbolNames::bind(const clang::FunctionDecl &fn) {
  const clang::ASTContext *ctx = &fn.getASTContext();
  if (ctx_ != ctx) {
    gen_ = std::make_unique<clang::ASTNameGenerator>(
        const_cast<clang::ASTContext &>(*ctx));
    ctx_ = ctx;
  }
}

namespace {

// Templates and invalid declarations have no symbol; the mangler must not
// see them.
bool mangleable(const clang::FunctionDecl &fn) {
  return !fn.isInvalidDecl() && !fn.isDependentContext() &&
         !fn.getDescribedFunctionTemplate() &&
         !llvm::isa<clang::CXXDeductionGuideDecl>(fn) &&
         !fn.getDeclName().isEmpty();
}

} // namespace

std::string SymbolNames::name(const clang::FunctionDecl &fn) {
  if (!mangleable(fn))
    return plainQualifiedName(fn);
  bind(fn);
  std::string n = gen_->getName(&fn);
  return n.empty() ? plainQualifiedName(fn) : n;
}

std::vector<std::string> SymbolNames::allNames(const clang::FunctionDecl &fn) {
  std::vector<std::string> out{name(fn)};
  if (mangleable(fn) && (llvm::isa<clang::CXXConstructorDecl>(fn) ||
                         llvm::isa<clang::CXXDestructorDecl>(fn))) {
    bind(fn);
    for (std::string &n : gen_->getAllManglings(&fn))
      out.push_back(std::move(n));
  }
  return out;
}

std::vector<std::unique_ptr<Rule>> makeRules(RuleContext &ctx) {
  std::vector<std::unique_ptr<Rule>> rules;
  rules.push_back(makeInlineAsmRule(ctx));
  rules.push_back(makeCastRule(ctx));
  rules.push_back(makePointerUnionRule(ctx));
  rules.push_back(makeVarargsRule(ctx));
  rules.push_back(makeStackAllocationRule(ctx));
  rules.push_back(makeNonLocalControlRule(ctx));
  rules.push_back(makeCompileFlagsRule(ctx));
  rules.push_back(makePointerArithmeticRule(ctx));
  rules.push_back(makeUninitializedReadRule(ctx));
  rules.push_back(makeEscapingLocalRule(ctx));
  rules.push_back(makeRawAllocationRule(ctx));
  rules.push_back(makeExternalFunctionRule(ctx));
  rules.push_back(makeIndirectCallRule(ctx));
  rules.push_back(makeStackRule(ctx));
  rules.push_back(makeExecMemoryRule(ctx));
  rules.push_back(makeBytesIntoPointersRule(ctx));
  rules.push_back(makeBoundedWritesRule(ctx));
  rules.push_back(makeLibraryUseRule(ctx));
  rules.push_back(makeInvalidationRule(ctx));
  return rules;
}

} // namespace kml::verify
