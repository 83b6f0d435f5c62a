// The reviewed externals. Each entry is a function whose behaviour at CPL 0
// is understood: pure computation, or a libc wrapper that ends in a syscall
// site the rewriter handles.
#include "rules/Rules.hpp"

#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Mangle.h>

#include <algorithm>

namespace kml::verify {

const std::vector<std::string_view> &externalAllowlist() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v{
        // stdio (buffered output ends in write(2))
        "printf", "fprintf", "snprintf", "vsnprintf", "vfprintf", "vprintf",
        "puts", "fputs", "putchar", "fputc", "putc", "fflush", "fwrite",
        "perror",
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
    std::sort(v.begin(), v.end());
    return v;
  }();
  return names;
}

bool isAllowlistedExternal(std::string_view name) {
  const auto &v = externalAllowlist();
  return std::binary_search(v.begin(), v.end(), name);
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
  return std::find(v.begin(), v.end(), name) != v.end();
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
  return std::find(std::begin(kNames), std::end(kNames), name.str()) !=
         std::end(kNames);
}

bool isNonLocalJumpFunction(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "setjmp",           "_setjmp",           "__sigsetjmp", "sigsetjmp",
      "longjmp",          "_longjmp",          "siglongjmp",  "__longjmp_chk",
      "__builtin_setjmp", "__builtin_longjmp", "savectx",     "vfork"};
  return std::find(std::begin(kNames), std::end(kNames), name) !=
         std::end(kNames);
}

bool isStackAllocationFunction(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "alloca", "__builtin_alloca", "__builtin_alloca_with_align",
      "__builtin_alloca_uninitialized",
      "__builtin_alloca_with_align_uninitialized"};
  return std::find(std::begin(kNames), std::end(kNames), name) !=
         std::end(kNames);
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
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty())
      out += "::";
    out += *it;
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

// Templates and invalid declarations have no symbol; the mangler must not
// see them.
static bool mangleable(const clang::FunctionDecl &fn) {
  return !fn.isInvalidDecl() && !fn.isDependentContext() &&
         !fn.getDescribedFunctionTemplate() &&
         !llvm::isa<clang::CXXDeductionGuideDecl>(fn) &&
         !fn.getDeclName().isEmpty();
}

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
  addLanguageRules(ctx, rules);
  addMemoryRules(ctx, rules);
  addCallRules(ctx, rules);
  rules.push_back(makeStackRule(ctx));
  rules.push_back(makeExecMemoryRule(ctx));
  rules.push_back(makeBytesIntoPointersRule(ctx));
  return rules;
}

} // namespace kml::verify
