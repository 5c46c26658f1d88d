#include "password_hasher.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

namespace parley::server {
namespace {

const ScryptParams kFast{1u << 10, 8, 1};

TEST(PasswordHasher, VerifiesTheRightPasswordOnly) {
  const std::string stored = hash_password("correct horse", kFast);
  EXPECT_TRUE(stored.starts_with("scrypt$1024$8$1$"));
  EXPECT_TRUE(verify_password("correct horse", stored));
  EXPECT_FALSE(verify_password("correct horse ", stored));
  EXPECT_FALSE(verify_password("", stored));
  EXPECT_NE(hash_password("correct horse", kFast), stored) << "a fresh salt each time";
}

TEST(PasswordHasher, MalformedStoredValuesNeverMatch) {
  for (const char* bad : {"", "scrypt", "plain$1$2$3$4$5", "scrypt$1023$8$1$00$00",
                          "scrypt$1024$8$1$zz$00", "scrypt$1024$8$1$00$0011",
                          "scrypt$1024$0$1$00$" "00000000000000000000000000000000"
                          "00000000000000000000000000000000"}) {
    EXPECT_FALSE(verify_password("x", bad)) << bad;
  }
}

TEST(PasswordHasher, DefaultParametersAndTheirCost) {
  const auto start = std::chrono::steady_clock::now();
  const std::string stored = hash_password("s3cret");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  EXPECT_TRUE(stored.starts_with("scrypt$16384$8$1$"));
  EXPECT_TRUE(verify_password("s3cret", stored));
  std::printf("scrypt N=16384 r=8 p=1: %lld ms per hash\n", static_cast<long long>(ms));
}

}  // namespace
}  // namespace parley::server
