#include <gtest/gtest.h>

#include <string>

#include "parley/base64.hpp"
#include "parley/sha256.hpp"

namespace parley {
namespace {

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(Sha256::hex_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256::hex_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256::hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256::hex_of(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecesGiveTheSameDigestAsTheWhole) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 7);
  const std::string whole = Sha256::hex_of(data);
  for (std::size_t cut : {1u, 55u, 56u, 63u, 64u, 65u, 127u, 500u}) {
    Sha256 s;
    for (std::size_t i = 0; i < data.size(); i += cut) s.update(std::string_view(data).substr(i, cut));
    EXPECT_EQ(s.hex(), whole) << cut;
  }
}

TEST(Base64, RoundTripsEveryLength) {
  std::string data;
  for (int n = 0; n < 300; ++n) {
    EXPECT_EQ(base64_decode(base64_encode(data)), data) << n;
    data += static_cast<char>(n * 31 + 7);
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("f"), "Zg==");
}

TEST(Base64, RefusesWhatIsNotCanonical) {
  for (const char* bad : {"Zm9", "Zm9v!mFy", "Zg=a", "Zh==", "Zm9=", "====", "Z===", "Zm 9v"}) {
    EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace parley
