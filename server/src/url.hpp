// Splits the base URL of an OpenAI-compatible provider ("https://api.openai.com/v1")
// into the parts needed to open a connection and build request paths.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parley::server {

struct ParsedUrl {
  std::string scheme{};       // "http" or "https"
  std::string host{};         // name or address, without brackets for IPv6
  std::string port{};         // explicit port or the scheme's default (80/443)
  std::string path_prefix{};  // "" or "/v1", never with a trailing slash
};

// Accepts http:// and https:// URLs without user info, query or fragment.
// Returns nullopt for anything else.
std::optional<ParsedUrl> parse_base_url(std::string_view url);

}  // namespace parley::server
