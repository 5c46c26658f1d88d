#include "sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace parley::server;

namespace {

std::vector<SseEvent> feed_bytewise(SseParser& p, std::string_view s) {
  std::vector<SseEvent> out;
  for (char c : s) EXPECT_TRUE(p.feed(std::string_view(&c, 1), out));
  return out;
}

}  // namespace

TEST(SseParser, SingleEvent) {
  SseParser p;
  auto ev = p.feed("data: hello\n\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event, "message");
  EXPECT_EQ(ev[0].data, "hello");
  EXPECT_FALSE(p.mid_event());
}

TEST(SseParser, ByteAtATimeMatchesWhole) {
  const std::string stream =
      "event: delta\ndata: {\"a\":1}\n\n: comment\ndata: line1\ndata: line2\n\ndata:[DONE]\n\n";
  SseParser whole;
  auto a = whole.feed(stream);
  SseParser bytewise;
  auto b = feed_bytewise(bytewise, stream);
  ASSERT_EQ(a.size(), 3u);
  ASSERT_EQ(b.size(), 3u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].event, b[i].event);
    EXPECT_EQ(a[i].data, b[i].data);
  }
  EXPECT_EQ(a[0].event, "delta");
  EXPECT_EQ(a[0].data, "{\"a\":1}");
  EXPECT_EQ(a[1].event, "message");  // the event type resets after each dispatch
  EXPECT_EQ(a[1].data, "line1\nline2");
  EXPECT_EQ(a[2].data, "[DONE]");
}

TEST(SseParser, CrLfAndCrLineEnds) {
  for (std::string stream : {std::string("data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n"),
                             std::string("data: a\rdata: b\r\rdata: c\r\r"),
                             std::string("data: a\ndata: b\r\n\rdata: c\n\r\n")}) {
    SseParser whole;
    auto a = whole.feed(stream);
    SseParser bytewise;
    auto b = feed_bytewise(bytewise, stream);
    for (const auto* events : {&a, &b}) {
      ASSERT_EQ(events->size(), 2u) << stream;
      EXPECT_EQ((*events)[0].data, "a\nb");
      EXPECT_EQ((*events)[1].data, "c");
    }
  }
}

TEST(SseParser, CrLfSplitAcrossSlices) {
  SseParser p;
  std::vector<SseEvent> out;
  EXPECT_TRUE(p.feed("data: x\r", out));
  EXPECT_TRUE(p.feed("\n\r", out));
  EXPECT_TRUE(p.feed("\n", out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "x");
  // The '\n' completing the last CRLF must not count as another blank line.
  EXPECT_TRUE(p.feed("data: y\n\n", out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].data, "y");
}

TEST(SseParser, FieldParsingRules) {
  SseParser p;
  // No space after the colon, two spaces (only one is stripped), bare "data" field,
  // unknown fields and retry are ignored.
  auto ev = p.feed("data:nospace\ndata:  two\ndata\nretry: 100\nfoo: bar\nid: 7\n\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].data, "nospace\n two\n");
  EXPECT_EQ(ev[0].id, "7");
}

TEST(SseParser, EventsWithoutDataAreNotDispatched) {
  SseParser p;
  auto ev = p.feed(": keep-alive\n\nevent: ping\n\n\n\ndata: after\n\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].event, "message");
  EXPECT_EQ(ev[0].data, "after");
}

TEST(SseParser, EmptyDataLineIsAnEvent) {
  SseParser p;
  auto ev = p.feed("data:\n\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].data, "");
}

TEST(SseParser, ByteOrderMarkIsSkipped) {
  SseParser p;
  auto ev = feed_bytewise(p, "\xEF\xBB\xBF" "data: x\n\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].data, "x");
}

TEST(SseParser, PartialEventIsHeldBack) {
  SseParser p;
  EXPECT_TRUE(p.feed("data: par").empty());
  EXPECT_TRUE(p.mid_event());
  EXPECT_TRUE(p.feed("tial\n").empty());
  EXPECT_TRUE(p.mid_event());
  auto ev = p.feed("\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].data, "partial");
  EXPECT_FALSE(p.mid_event());
}

TEST(SseParser, OversizedLineIsAnError) {
  SseParser p(64);
  std::vector<SseEvent> out;
  EXPECT_TRUE(p.feed("data: ok\n\n", out));
  EXPECT_FALSE(p.feed("data: " + std::string(100, 'x'), out));
  EXPECT_TRUE(p.failed());
  EXPECT_NE(p.error().find("larger than 64"), std::string::npos);
  EXPECT_FALSE(p.feed("data: more\n\n", out));  // stays failed
  EXPECT_EQ(out.size(), 1u);
}

TEST(SseParser, OversizedMultiLineEventIsAnError) {
  SseParser p(64);
  std::vector<SseEvent> out;
  bool ok = true;
  for (int i = 0; i < 10 && ok; ++i) ok = p.feed("data: 0123456789\n", out);
  EXPECT_FALSE(ok);
  EXPECT_TRUE(p.failed());
  EXPECT_TRUE(out.empty());
}

TEST(SseParser, OversizedEventFedBytewiseIsAnError) {
  SseParser p(32);
  std::vector<SseEvent> out;
  std::string stream = "data: " + std::string(40, 'y') + "\n\n";
  bool ok = true;
  for (char c : stream) {
    if (!p.feed(std::string_view(&c, 1), out)) ok = false;
  }
  EXPECT_FALSE(ok);
  EXPECT_TRUE(out.empty());
}
