// The HTTP side of the server: health, static files from the web root, and refusal
// of paths that leave it.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "http_get.hpp"
#include "server_process.hpp"

namespace parley::itest {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class Http : public ::testing::Test {
 protected:
  ServerProcess server_;
};

TEST_F(Http, HealthIsOkJson) {
  const HttpResponse r = http_get(server_.port(), "/health");
  EXPECT_EQ(r.status, 200u);
  const auto json = nlohmann::json::parse(r.body, nullptr, false);
  ASSERT_TRUE(json.is_object()) << r.body;
  ASSERT_TRUE(json.contains("status")) << r.body;
  EXPECT_EQ(json["status"], "ok");
}

TEST_F(Http, RootServesIndexHtml) {
  const HttpResponse r = http_get(server_.port(), "/");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type.rfind("text/html", 0), 0u) << r.content_type;
  EXPECT_EQ(r.body, read_file(server_.web_root() / "index.html"));
}

TEST_F(Http, IndexHtmlByName) {
  const HttpResponse r = http_get(server_.port(), "/index.html");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type.rfind("text/html", 0), 0u) << r.content_type;
  EXPECT_EQ(r.body, read_file(server_.web_root() / "index.html"));
}

TEST_F(Http, WasmIsServedAsApplicationWasm) {
  const HttpResponse r = http_get(server_.port(), "/app.wasm");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/wasm");
  EXPECT_EQ(r.body, read_file(server_.web_root() / "app.wasm"));
}

TEST_F(Http, MissingFileIs404) {
  EXPECT_EQ(http_get(server_.port(), "/no-such-file.js").status, 404u);
}

TEST_F(Http, PathsLeavingTheWebRootAreRefused) {
  for (const char* target : {"/../secret.txt", "/web/../../secret.txt", "/..%2fsecret.txt",
                             "/%2e%2e/secret.txt", "/./../secret.txt"}) {
    SCOPED_TRACE(target);
    const HttpResponse r = http_get(server_.port(), target);
    EXPECT_TRUE(r.status == 400u || r.status == 404u) << "status " << r.status;
    EXPECT_EQ(r.body.find("outside-the-web-root"), std::string::npos);
  }
}

}  // namespace
}  // namespace parley::itest
