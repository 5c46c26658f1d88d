// TokenService::verify with a fixed secret, on three kinds of token made from the input:
//   1. the input itself;
//   2. a valid token edited by the input (overwrites, insertions and deletions); one that
//      still passes must carry the original claims, anything else would be a forgery;
//   3. the input as the claims of a token correctly signed with the secret, which
//      reaches the claim checks behind the signature.
// Whatever passes must hold a user, a known role and an expiry after "now".
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <string>

#include "fuzz_check.hpp"
#include "parley/base64.hpp"
#include "token_service.hpp"

namespace {

using parley::server::TokenCheck;
using parley::server::TokenService;

constexpr std::int64_t kNow = 1767000000;  // 2025-12-29
const std::string kSecret = "parley-fuzz-secret-0123456789abcdef";  // as in corpus/fuzz_jwt
const std::string kIssuer = "parley";

// base64url without padding, from the shared base64 encoder.
std::string base64url(std::string_view in) {
  std::string out = parley::base64_encode(in);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::string signed_token(std::string_view claims_json) {
  std::string token = base64url(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url(claims_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(token.data()), token.size(), mac, &mac_size);
  token += ".";
  token += base64url(std::string_view(reinterpret_cast<const char*>(mac), mac_size));
  return token;
}

// Each three input bytes are one edit: a position and an operation, and a byte.
std::string edited(std::string token, std::string_view edits) {
  for (std::size_t i = 0; i + 3 <= edits.size(); i += 3) {
    const auto hi = static_cast<unsigned char>(edits[i + 1]);
    const std::size_t at =
        ((static_cast<std::size_t>(hi & 0x3F) << 8) | static_cast<unsigned char>(edits[i])) %
        (token.size() + 1);
    const char byte = edits[i + 2];
    switch (hi >> 6) {
      case 0:
        token.insert(at, 1, byte);
        break;
      case 1:
        if (at < token.size()) token.erase(at, 1);
        break;
      default:
        if (at < token.size()) token[at] = byte;
        break;
    }
  }
  return token;
}

void check(const TokenCheck& c, std::string_view token) {
  const std::string shown(token.substr(0, 400));
  if (!c.claims) {
    PARLEY_FUZZ_CHECK(c.code != nullptr && !c.reason.empty(), shown);
    return;
  }
  PARLEY_FUZZ_CHECK(c.code == nullptr, shown);
  PARLEY_FUZZ_CHECK(!c.claims->user.empty(), shown);
  const std::string& role = c.claims->role;
  PARLEY_FUZZ_CHECK(role == "user" || role == "admin" || role == "service", shown);
  PARLEY_FUZZ_CHECK(c.claims->expires_at > kNow, shown);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TokenService tokens(kSecret, kIssuer);
  static const std::string valid = tokens.issue("ann", "user", std::chrono::hours(1), kNow);
  const std::string_view input = parley::fuzz::as_text(data, size);

  check(tokens.verify(input, kNow), input);

  const std::string mutated = edited(valid, input);
  const TokenCheck c = tokens.verify(mutated, kNow);
  check(c, mutated);
  if (c.claims) {
    PARLEY_FUZZ_CHECK(c.claims->user == "ann" && c.claims->role == "user" &&
                          c.claims->expires_at == kNow + 3600,
                      "forged claims accepted: " + mutated);
  }

  const std::string resigned = signed_token(input);
  check(tokens.verify(resigned, kNow), resigned);
  return 0;
}
