// What several rules ask of a type: does a value of it hold a pointer?
#include "rules/Rules.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/Type.h>

namespace kml::verify {
namespace {

/// True when a value of \p t contains a data or function pointer somewhere,
/// a vtable pointer included.
bool containsPointer(clang::QualType t, int depth = 0) {
  if (depth > 16 || t.isNull())
    return false;
  t = t.getCanonicalType();
  if (const auto *atomic = t->getAs<clang::AtomicType>())
    return containsPointer(atomic->getValueType(), depth + 1);
  if (t->isPointerType() || t->isReferenceType() || t->isMemberPointerType() ||
      t->isBlockPointerType() || t->isNullPtrType())
    return true;
  if (const auto *a = llvm::dyn_cast<clang::ArrayType>(t.getTypePtr()))
    return containsPointer(a->getElementType(), depth + 1);
  if (const auto *rd = t->getAsRecordDecl()) {
    const auto *def = rd->getDefinition();
    // Incomplete here, defined in another TU: it may hold anything.
    if (def == nullptr)
      return true;
    for (const auto *field : def->fields())
      if (containsPointer(field->getType(), depth + 1))
        return true;
    if (const auto *cxx = llvm::dyn_cast<clang::CXXRecordDecl>(def)) {
      if (cxx->isDynamicClass())
        return true;
      for (const auto &base : cxx->bases())
        if (containsPointer(base.getType(), depth + 1))
          return true;
    }
  }
  return false;
}

} // namespace

bool containsPointerType(clang::QualType t) { return containsPointer(t); }

} // namespace kml::verify
