#include "static_files.hpp"

#include <array>
#include <utility>

namespace parley::server {

std::string_view mime_type(std::string_view path) {
  auto dot = path.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  auto ext = path.substr(dot + 1);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> types{{
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"wasm", "application/wasm"},
      {"data", "application/octet-stream"},
      {"png", "image/png"},
      {"svg", "image/svg+xml"},
      {"ico", "image/vnd.microsoft.icon"},
      {"ttf", "font/ttf"},
      {"woff2", "font/woff2"},
      {"txt", "text/plain; charset=utf-8"},
  }};
  for (auto& [e, type] : types)
    if (e == ext) return type;
  return "application/octet-stream";
}

std::optional<std::string> resolve_path(std::string_view root, std::string_view target) {
  auto query = target.find_first_of("?#");
  if (query != std::string_view::npos) target = target.substr(0, query);
  if (target.empty() || target[0] != '/') return std::nullopt;
  // Refuse anything that is not a plain relative path below the root: "..", backslashes,
  // NUL and percent-encoding (the client's files need none).
  if (target.find('\\') != std::string_view::npos || target.find('\0') != std::string_view::npos ||
      target.find('%') != std::string_view::npos)
    return std::nullopt;
  std::size_t pos = 0;
  while (pos <= target.size()) {
    auto next = target.find('/', pos);
    if (next == std::string_view::npos) next = target.size();
    if (target.substr(pos, next - pos) == "..") return std::nullopt;
    pos = next + 1;
  }
  std::string path(root);
  while (!path.empty() && path.back() == '/') path.pop_back();
  path.append(target);
  if (path.back() == '/') path.append("index.html");
  return path;
}

}  // namespace parley::server
