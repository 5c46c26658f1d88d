#include "url.hpp"

#include <gtest/gtest.h>

using namespace parley::server;

TEST(Url, HttpWithPortAndPrefix) {
  auto u = parse_base_url("http://127.0.0.1:11434/v1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "11434");
  EXPECT_EQ(u->path_prefix, "/v1");
}

TEST(Url, HttpsDefaultPort) {
  auto u = parse_base_url("https://api.openai.com/v1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "api.openai.com");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->path_prefix, "/v1");
}

TEST(Url, HttpDefaultPortNoPath) {
  auto u = parse_base_url("http://localhost");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, "80");
  EXPECT_EQ(u->path_prefix, "");
}

TEST(Url, TrailingSlashesAreDropped) {
  EXPECT_EQ(parse_base_url("http://h/v1/")->path_prefix, "/v1");
  EXPECT_EQ(parse_base_url("http://h/")->path_prefix, "");
  EXPECT_EQ(parse_base_url("http://h:8080/api/openai//")->path_prefix, "/api/openai");
}

TEST(Url, SchemeAndHostAreCaseInsensitive) {
  auto u = parse_base_url("HTTPS://API.Example.COM/V1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "api.example.com");
  EXPECT_EQ(u->path_prefix, "/V1");  // the path keeps its case
}

TEST(Url, Ipv6Literal) {
  auto u = parse_base_url("http://[::1]:8000/v1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "8000");
  EXPECT_EQ(parse_base_url("https://[::1]")->port, "443");
}

TEST(Url, RejectsOtherSchemesAndJunk) {
  for (const char* bad : {"", "ftp://h/v1", "ws://h", "h:80/v1", "//h/v1", "http://", "http:///v1",
                          "http://h:/v1", "http://h:0", "http://h:65536", "http://h:80x", "http://user@h/v1",
                          "http://h/v1?x=1", "http://h/v1#f", "http://h h/v1", "http://[::1/v1",
                          "http://[]:80", "http://h/v 1", "file:///etc/passwd"}) {
    EXPECT_FALSE(parse_base_url(bad)) << bad;
  }
}
