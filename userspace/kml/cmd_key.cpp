// kml key new|list|enroll: development signing keys, and putting their
// certificates into a kernel keyring.

#include "arg_cursor.hpp"
#include "command.hpp"
#include "gate_cli.hpp"
#include "key_store.hpp"
#include "keyring.hpp"
#include "marker_cli.hpp"
#include "subcommands.hpp"

#include "kml/gate/gate_error.hpp"

#include <iostream>
#include <optional>
#include <string>

namespace kml {
namespace {

constexpr std::string_view kUsage =
    "key new [NAME] [--dir DIR] | key list [--dir DIR] | "
    "key enroll NAME|CERT.pem [--keyring KEYRING] [--dir DIR]";

std::filesystem::path keyDirOr(const std::optional<std::string> &dir) {
  return dir ? std::filesystem::path(*dir) : KeyStore::defaultDir();
}

int keyNew(ArgCursor &args) {
  std::optional<std::string> dir;
  std::optional<std::string> name;
  while (!args.done()) {
    if (auto value = args.takeValue("--dir")) {
      dir = std::move(value);
    } else if (name) {
      throw UsageProblem{"only one NAME"};
    } else {
      name = args.takePositional();
    }
  }
  const std::string keyName = name.value_or("default");
  try {
    const KeyStore store(keyDirOr(dir));
    const gate::SigningKey key = store.create(keyName);
    std::cout << "created " << store.keyPath(keyName).string() << " and "
              << store.certPath(keyName).string() << " (" << key.cert.subject()
              << ", sha256 " << key.cert.fingerprint() << ")\n";
  } catch (const gate::GateError &error) {
    return gateFailure("key new", keyName, error.what(), kExitFailure);
  }
  return kExitOk;
}

int keyList(ArgCursor &args) {
  std::optional<std::string> dir;
  while (!args.done()) {
    if (auto value = args.takeValue("--dir")) {
      dir = std::move(value);
    } else {
      throw UsageProblem{"unexpected '" + args.takePositional() + "'"};
    }
  }
  std::filesystem::path keyDir;
  try {
    keyDir = keyDirOr(dir);
  } catch (const gate::GateError &error) {
    return gateFailure("key list", "key directory", error.what(), kExitUsage);
  }
  const KeyStore store(keyDir);
  int status = kExitOk;
  for (const std::string &name : store.names()) {
    try {
      const auto cert = gate::Certificate::fromFile(store.certPath(name));
      std::cout << name << "  " << cert.subject()
                << "  sha256:" << cert.fingerprint() << "  expires "
                << cert.expiry() << "\n";
    } catch (const gate::GateError &error) {
      status = gateFailure("key list", store.certPath(name).string(),
                           error.what(), kExitDataErr);
    }
  }
  return status;
}

int keyEnroll(ArgCursor &args) {
  std::optional<std::string> dir;
  std::string keyring = ".kml";
  std::optional<std::string> which;
  while (!args.done()) {
    if (auto value = args.takeValue("--dir")) {
      dir = std::move(value);
    } else if (auto ring = args.takeValue("--keyring")) {
      keyring = std::move(*ring);
    } else if (which) {
      throw UsageProblem{"only one NAME or CERT.pem"};
    } else {
      which = args.takePositional();
    }
  }
  if (!which) {
    throw UsageProblem{"missing NAME or CERT.pem"};
  }
  try {
    // A path names a certificate file; a bare name, a development key.
    const bool isPath = which->find('/') != std::string::npos ||
                        which->ends_with(".pem") || which->ends_with(".der");
    const std::filesystem::path certFile =
        isPath ? std::filesystem::path(*which)
               : KeyStore(keyDirOr(dir)).certPath(*which);
    const auto cert = gate::Certificate::fromFile(certFile);
    const std::int32_t serial = enrollCertificate(cert.der(), keyring);
    std::cout << "enrolled " << cert.subject() << " in " << keyring
              << " as key " << serial << "\n";
  } catch (const gate::GateError &error) {
    return gateFailure("key enroll", *which, error.what(), kExitFailure);
  }
  return kExitOk;
}

} // namespace

int runKey(Args args) {
  try {
    if (args.empty()) {
      throw UsageProblem{"missing new, list or enroll"};
    }
    const std::string_view verb = args.front();
    ArgCursor rest(args.subspan(1));
    if (verb == "new") {
      return keyNew(rest);
    }
    if (verb == "list") {
      return keyList(rest);
    }
    if (verb == "enroll") {
      return keyEnroll(rest);
    }
    throw UsageProblem{"unknown key command '" + std::string(verb) + "'"};
  } catch (const UsageProblem &problem) {
    return usageError("key", problem.message, kUsage);
  }
}

} // namespace kml
