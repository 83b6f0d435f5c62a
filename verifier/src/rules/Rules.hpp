// The rule set: one class per rule ID, created together by makeRules().
#pragma once

#include "core/Rule.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace clang {
class ASTNameGenerator;
class CallExpr;
class Expr;
class FunctionDecl;
class NamedDecl;
} // namespace clang

namespace kml::verify {

std::vector<std::unique_ptr<Rule>> makeRules(RuleContext &ctx);

// Factories, one per rule, each in the source file named after its class.
std::unique_ptr<Rule> makeInlineAsmRule(RuleContext &ctx);         // KML-R001
std::unique_ptr<Rule> makeCastRule(RuleContext &ctx);              // KML-R003
std::unique_ptr<Rule> makePointerUnionRule(RuleContext &ctx);      // KML-R004
std::unique_ptr<Rule> makeVarargsRule(RuleContext &ctx);           // KML-R005
std::unique_ptr<Rule> makeStackAllocationRule(RuleContext &ctx);   // KML-R007
std::unique_ptr<Rule> makeNonLocalControlRule(RuleContext &ctx);   // KML-R013
std::unique_ptr<Rule> makeCompileFlagsRule(RuleContext &ctx);      // KML-R014
std::unique_ptr<Rule> makePointerArithmeticRule(RuleContext &ctx); // KML-R006
std::unique_ptr<Rule> makeUninitializedReadRule(RuleContext &ctx); // KML-R010
std::unique_ptr<Rule> makeEscapingLocalRule(RuleContext &ctx);     // KML-R011
std::unique_ptr<Rule> makeRawAllocationRule(RuleContext &ctx);     // KML-R012
std::unique_ptr<Rule> makeExternalFunctionRule(RuleContext &ctx);  // KML-R002
std::unique_ptr<Rule> makeIndirectCallRule(RuleContext &ctx);      // KML-R009
std::unique_ptr<Rule> makeStackRule(RuleContext &ctx);             // KML-R008
std::unique_ptr<Rule> makeExecMemoryRule(RuleContext &ctx);        // KML-R015
std::unique_ptr<Rule> makeBytesIntoPointersRule(RuleContext &ctx); // KML-R016
std::unique_ptr<Rule> makeBoundedWritesRule(RuleContext &ctx);     // KML-R017
std::unique_ptr<Rule> makeLibraryUseRule(RuleContext &ctx);        // KML-R018
std::unique_ptr<Rule> makeInvalidationRule(RuleContext &ctx);      // KML-R019

/// "ns::Class::method" without template arguments: the form allowlists use.
std::string plainQualifiedName(const clang::NamedDecl &d);

/// Linker-level names of functions, as -fstack-usage prints them.
class SymbolNames {
public:
  SymbolNames();
  ~SymbolNames();
  /// The primary symbol name of \p fn (falls back to the qualified name for
  /// declarations that have no symbol).
  std::string name(const clang::FunctionDecl &fn);
  /// Every symbol \p fn may be emitted as (constructor/destructor variants).
  std::vector<std::string> allNames(const clang::FunctionDecl &fn);

private:
  std::unique_ptr<clang::ASTNameGenerator> gen_;
  const clang::ASTContext *ctx_ = nullptr;
  void bind(const clang::FunctionDecl &fn);
};

// Names some rules own, so that KML-R002 does not report them twice.
bool isAllocationFunction(const clang::FunctionDecl &fn); // KML-R012
bool isNonLocalJumpFunction(std::string_view name);       // KML-R013
bool isStackAllocationFunction(std::string_view name);    // KML-R007

/// True when a value of \p t holds a pointer anywhere, a vtable pointer
/// included (KML-R004, KML-R016).
bool containsPointerType(clang::QualType t);

/// True when KML-R017 checks the length of \p name's writes (libc's name).
bool isCheckedByteWriter(std::string_view name);

/// A part of the C++ standard library KML-R002 admits: a class (every
/// member) or a function (every overload), and the header it comes from.
struct LibraryEntry {
  enum Kind { Class, Function };
  std::string_view name;
  std::string_view header;
  Kind kind;
};
const std::vector<LibraryEntry> &libraryAllowlist();
/// True when \p fn belongs to the admitted standard library.
bool isAdmittedLibraryFunction(const clang::FunctionDecl &fn);

/// The same named object, read twice: a variable, a member of one, `*p`,
/// `this`. Calls are not followed: two calls may return two objects.
bool sameNamedObject(const clang::Expr *a, const clang::Expr *b);

/// Is \p t made of numbers and the library's classes alone (no class of
/// the program's own, no lambda, no function, anywhere in it)?
bool onlyLibraryTypes(clang::QualType t, unsigned depth = 0);

/// The index of the call's argument that binds \p fn's first parameter: 1
/// for a member operator (its first argument is the object), else 0.
unsigned firstParameterArgument(const clang::CallExpr &call,
                                const clang::FunctionDecl &fn);

/// KML-R002's allowlist of external functions (qualified names).
bool isAllowlistedExternal(std::string_view qualifiedName);
const std::vector<std::string_view> &externalAllowlist();
/// KML-R001's allowlist of target builtins.
bool isAllowlistedTargetBuiltin(std::string_view name);
const std::vector<std::string_view> &targetBuiltinAllowlist();

} // namespace kml::verify
