#include "static_files.hpp"

#include <gtest/gtest.h>

using parley::server::mime_type;
using parley::server::resolve_path;

TEST(StaticFiles, MimeTypesOfTheClientsFiles) {
  EXPECT_EQ(mime_type("/x/parley.wasm"), "application/wasm");
  EXPECT_EQ(mime_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type("parley.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type("parley.data"), "application/octet-stream");
  EXPECT_EQ(mime_type("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(mime_type("font.ttf"), "font/ttf");
  EXPECT_EQ(mime_type("README"), "application/octet-stream");
}

TEST(StaticFiles, RootMapsToIndex) {
  EXPECT_EQ(resolve_path("/srv/web", "/"), "/srv/web/index.html");
  EXPECT_EQ(resolve_path("/srv/web/", "/"), "/srv/web/index.html");
  EXPECT_EQ(resolve_path("/srv/web", "/parley.js?v=3"), "/srv/web/parley.js");
  EXPECT_EQ(resolve_path("/srv/web", "/a/b.css#x"), "/srv/web/a/b.css");
  EXPECT_EQ(resolve_path("/srv/web", "/sub/"), "/srv/web/sub/index.html");
}

TEST(StaticFiles, RefusesPathsLeavingTheRoot) {
  for (const char* target : {"/../etc/passwd", "/a/../../b", "/..", "/a/..", "relative",
                             "", "/a\\..\\b", "/%2e%2e/etc/passwd"}) {
    EXPECT_FALSE(resolve_path("/srv/web", target).has_value()) << target;
  }
  EXPECT_TRUE(resolve_path("/srv/web", "/a..b/c").has_value());
}
