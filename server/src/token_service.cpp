#include "token_service.hpp"

#include <jwt.h>
#include <openssl/rand.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "hex.hpp"
#include "parley/error_codes.hpp"

namespace parley::server {
namespace {

namespace codes = parley::error_codes;

struct JwtFree {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

// base64url without padding, as JWT segments are written.
std::optional<std::string> base64url_decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = value(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFF));
    }
  }
  return out;
}

TokenCheck refuse(const char* code, std::string reason) {
  TokenCheck c;
  c.code = code;
  c.reason = std::move(reason);
  return c;
}

bool known_role(const std::string& r) { return r == "user" || r == "admin" || r == "service"; }

}  // namespace

TokenService::TokenService(std::string secret, std::string issuer)
    : secret_(std::move(secret)), issuer_(std::move(issuer)) {
  if (secret_.size() < 32) throw std::invalid_argument("token secret shorter than 32 bytes");
}

std::string TokenService::random_secret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for a secret");
  return to_hex(bytes, sizeof bytes);
}

std::int64_t TokenService::now_s() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string TokenService::issue(const std::string& user, const std::string& role,
                                std::chrono::seconds ttl, std::int64_t now_s) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new failed");
  JwtPtr jwt(raw);
  jwt_add_grant(jwt.get(), "iss", issuer_.c_str());
  jwt_add_grant(jwt.get(), "sub", user.c_str());
  jwt_add_grant(jwt.get(), "role", role.c_str());
  jwt_add_grant_int(jwt.get(), "iat", static_cast<long>(now_s));
  jwt_add_grant_int(jwt.get(), "exp", static_cast<long>(now_s + ttl.count()));
  if (jwt_set_alg(jwt.get(), JWT_ALG_HS256,
                  reinterpret_cast<const unsigned char*>(secret_.data()),
                  static_cast<int>(secret_.size())) != 0) {
    throw std::runtime_error("jwt_set_alg failed");
  }
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) throw std::runtime_error("jwt_encode_str failed");
  std::string token(encoded);
  std::free(encoded);  // libjwt allocates with malloc
  return token;
}

TokenCheck TokenService::verify(std::string_view token, std::int64_t now_s) const {
  if (token.empty()) return refuse(codes::token_missing, "no token");
  // Three base64url parts and nothing else: a NUL or any other byte would otherwise be
  // cut off or skipped by the C library that checks the signature.
  if (token.size() > kMaxTokenBytes) return refuse(codes::token_invalid, "token too long");
  for (const char ch : token) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
    if (!ok) return refuse(codes::token_invalid, "a token holds only base64url characters and dots");
  }
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return refuse(codes::token_invalid, "not a JSON Web Token");
  // The algorithm first: nothing else of a token in another algorithm is looked at.
  const auto header_json = base64url_decode(token.substr(0, dot1));
  if (!header_json) return refuse(codes::token_invalid, "header is not base64url");
  const auto header = nlohmann::json::parse(*header_json, nullptr, false);
  if (!header.is_object()) return refuse(codes::token_invalid, "header is not a JSON object");
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get_ref<const std::string&>() != "HS256")
    return refuse(codes::token_algorithm, "only HS256 tokens are accepted");

  jwt_t* raw = nullptr;
  const std::string copy(token);
  if (jwt_decode(&raw, copy.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size())) != 0 ||
      raw == nullptr) {
    return refuse(codes::token_invalid, "bad signature or malformed token");
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256)
    return refuse(codes::token_algorithm, "only HS256 tokens are accepted");
  auto grant = [&](const char* name) -> std::string {
    const char* v = jwt_get_grant(jwt.get(), name);
    return v == nullptr ? std::string() : std::string(v);
  };
  TokenClaims c;
  c.user = grant("sub");
  c.role = grant("role");
  if (grant("iss") != issuer_) return refuse(codes::token_invalid, "issued by someone else");
  if (c.user.empty()) return refuse(codes::token_invalid, "no subject");
  if (!known_role(c.role)) return refuse(codes::token_invalid, "unknown role");
  errno = 0;
  c.expires_at = jwt_get_grant_int(jwt.get(), "exp");
  if (errno != 0 || c.expires_at <= 0) return refuse(codes::token_invalid, "no expiry");
  c.issued_at = jwt_get_grant_int(jwt.get(), "iat");
  if (now_s >= c.expires_at) return refuse(codes::token_expired, "the token has expired");
  TokenCheck ok;
  ok.claims = std::move(c);
  return ok;
}

}  // namespace parley::server
