#include "gate_cli.hpp"

#include <algorithm>
#include <iostream>

namespace kml {

int gateFailure(std::string_view command, std::string_view subject,
                std::string_view message, int code) {
  std::cerr << "kml " << command << ": " << subject << ": " << message << "\n";
  return code;
}

std::vector<gate::Certificate>
trustedCertificates(const std::vector<std::string> &certFiles,
                    const std::filesystem::path &keyDir) {
  std::vector<std::filesystem::path> paths(certFiles.begin(), certFiles.end());
  std::error_code ec;
  std::vector<std::filesystem::path> inDir;
  for (std::filesystem::directory_iterator it(keyDir, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".pem") {
      inDir.push_back(it->path());
    }
  }
  std::ranges::sort(inDir);
  paths.insert(paths.end(), inDir.begin(), inDir.end());

  std::vector<gate::Certificate> certs;
  certs.reserve(paths.size());
  for (const auto &path : paths) {
    certs.push_back(gate::Certificate::fromFile(path));
  }
  return certs;
}

} // namespace kml
