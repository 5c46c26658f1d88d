#include "token_service.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "parley/error_codes.hpp"

namespace parley::server {
namespace {

namespace codes = parley::error_codes;
using std::chrono::seconds;

const std::string kSecret(40, 's');
constexpr std::int64_t kNow = 1'800'000'000;

std::string b64url(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out.push_back(kAlphabet[(bits >> count) & 63]);
    }
  }
  if (count > 0) out.push_back(kAlphabet[(bits << (6 - count)) & 63]);
  return out;
}

std::string payload(std::int64_t exp) {
  std::string p = "{\"iss\":\"parley\",\"sub\":\"ann\",\"role\":\"admin\",\"iat\":1,\"exp\":";
  p += std::to_string(exp);
  p += "}";
  return p;
}

TEST(TokenService, IssuedTokensVerifyWithTheirClaims) {
  TokenService tokens(kSecret, "parley");
  const std::string t = tokens.issue("ann", "admin", seconds(600), kNow);
  const TokenCheck c = tokens.verify(t, kNow + 599);
  ASSERT_TRUE(c.claims.has_value()) << c.reason;
  EXPECT_EQ(c.claims->user, "ann");
  EXPECT_EQ(c.claims->role, "admin");
  EXPECT_EQ(c.claims->issued_at, kNow);
  EXPECT_EQ(c.claims->expires_at, kNow + 600);
}

TEST(TokenService, ExpiredAtTheExpirySecond) {
  TokenService tokens(kSecret, "parley");
  const std::string t = tokens.issue("ann", "user", seconds(60), kNow);
  EXPECT_TRUE(tokens.verify(t, kNow + 59).claims.has_value());
  EXPECT_STREQ(tokens.verify(t, kNow + 60).code, codes::token_expired);
}

TEST(TokenService, TamperedOrForeignTokensAreInvalid) {
  TokenService tokens(kSecret, "parley");
  const std::string t = tokens.issue("ann", "user", seconds(60), kNow);
  const auto dot1 = t.find('.');
  const auto dot2 = t.find('.', dot1 + 1);
  // Another payload under the original signature.
  const std::string forged = t.substr(0, dot1 + 1) + b64url(payload(kNow + 99999)) + t.substr(dot2);
  EXPECT_STREQ(tokens.verify(forged, kNow).code, codes::token_invalid);
  // A flipped signature character.
  std::string flipped = t;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_STREQ(tokens.verify(flipped, kNow).code, codes::token_invalid);
  // Signed with another secret, or by another issuer.
  TokenService other(std::string(40, 'x'), "parley");
  EXPECT_STREQ(tokens.verify(other.issue("ann", "user", seconds(60), kNow), kNow).code,
               codes::token_invalid);
  TokenService elsewhere(kSecret, "someone-else");
  EXPECT_STREQ(tokens.verify(elsewhere.issue("ann", "user", seconds(60), kNow), kNow).code,
               codes::token_invalid);
  // Not a role Parley knows.
  EXPECT_STREQ(tokens.verify(tokens.issue("ann", "root", seconds(60), kNow), kNow).code,
               codes::token_invalid);
  EXPECT_STREQ(tokens.verify(tokens.issue("", "user", seconds(60), kNow), kNow).code,
               codes::token_invalid);
}

TEST(TokenService, AlgNoneAndOtherAlgorithmsAreRefused) {
  TokenService tokens(kSecret, "parley");
  const std::string none =
      b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64url(payload(kNow + 60)) + ".";
  EXPECT_STREQ(tokens.verify(none, kNow).code, codes::token_algorithm);
  const std::string hs512 =
      b64url("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + b64url(payload(kNow + 60)) + ".abc";
  EXPECT_STREQ(tokens.verify(hs512, kNow).code, codes::token_algorithm);
  const std::string no_alg = b64url("{\"typ\":\"JWT\"}") + "." + b64url(payload(kNow + 60)) + ".x";
  EXPECT_STREQ(tokens.verify(no_alg, kNow).code, codes::token_algorithm);
}

TEST(TokenService, MissingAndMalformedTokens) {
  TokenService tokens(kSecret, "parley");
  EXPECT_STREQ(tokens.verify("", kNow).code, codes::token_missing);
  for (const char* bad : {"garbage", "a.b", "a.b.c.d", "!!!.e30.x", "e30.e30.x"}) {
    const TokenCheck c = tokens.verify(bad, kNow);
    EXPECT_FALSE(c.claims.has_value()) << bad;
    const std::string_view code = c.code == nullptr ? "" : c.code;
    EXPECT_TRUE(code == codes::token_invalid || code == codes::token_algorithm) << bad;
  }
  EXPECT_THROW(TokenService("short", "parley"), std::invalid_argument);
  EXPECT_EQ(TokenService::random_secret().size(), 64u);
  EXPECT_NE(TokenService::random_secret(), TokenService::random_secret());
}

TEST(TokenService, TrailingBytesAfterAGoodTokenAreRefused) {
  TokenService tokens(kSecret, "parley");
  const std::string good = tokens.issue("ann", "user", seconds(60), kNow);
  ASSERT_TRUE(tokens.verify(good, kNow).claims.has_value());
  for (const std::string& tail : {std::string("\0junk", 5), std::string("\0", 1), std::string(" "),
                                  std::string("\n"), std::string("="), std::string("\xff")}) {
    const TokenCheck c = tokens.verify(good + tail, kNow);
    EXPECT_FALSE(c.claims.has_value()) << "tail of " << tail.size() << " bytes";
    EXPECT_STREQ(c.code, codes::token_invalid);
  }
  const TokenCheck inner = tokens.verify(std::string("e30\0.e30.x", 10), kNow);
  EXPECT_STREQ(inner.code, codes::token_invalid);
  EXPECT_STREQ(tokens.verify(std::string(TokenService::kMaxTokenBytes + 1, 'a'), kNow).code,
               codes::token_invalid);
}

}  // namespace
}  // namespace parley::server
