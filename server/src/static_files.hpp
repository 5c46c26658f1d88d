// Serving the web client from a folder: safe path mapping and MIME types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley::server {

// The MIME type for a file name by its extension (application/wasm for .wasm).
std::string_view mime_type(std::string_view path);

// Maps a request target ("/", "/parley.js?v=1") to a file under `root`. Returns nullopt
// for targets that try to leave the root or are not plain paths.
std::optional<std::string> resolve_path(std::string_view root, std::string_view target);

}  // namespace parley::server
