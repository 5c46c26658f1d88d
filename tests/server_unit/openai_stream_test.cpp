#include "openai_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sse_parser.hpp"

using namespace parley::server;
using Kind = StreamStep::Kind;

namespace {

std::string content_chunk(const std::string& text) {
  std::string s = R"j({"id":"c1","object":"chat.completion.chunk","model":"gpt-test","choices":[{"index":0,"delta":{"content":")j";
  s += text;
  s += R"j("},"finish_reason":null}]})j";
  return s;
}

const char* kStop = R"j({"object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})j";

}  // namespace

TEST(OpenAiStream, TextDeltasFinishAndUsage) {
  OpenAiStreamDecoder d;
  auto s1 = d.consume(R"j({"object":"chat.completion.chunk","model":"gpt-test","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]})j");
  EXPECT_EQ(s1.kind, Kind::progress);
  EXPECT_EQ(s1.text, "");
  EXPECT_EQ(d.consume(content_chunk("Hel")).text, "Hel");
  EXPECT_EQ(d.consume(content_chunk("lo")).text, "lo");
  EXPECT_FALSE(d.saw_finish());
  EXPECT_EQ(d.consume(kStop).kind, Kind::progress);
  EXPECT_TRUE(d.saw_finish());
  // Usage-only final chunk (stream_options.include_usage): empty choices.
  auto usage = d.consume(R"j({"object":"chat.completion.chunk","model":"gpt-test","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,"cost":0.0025}})j");
  EXPECT_EQ(usage.kind, Kind::progress);
  auto done = d.consume("[DONE]");
  EXPECT_EQ(done.kind, Kind::done);
  const auto& c = d.completion();
  EXPECT_EQ(c.finish_reason, "stop");
  EXPECT_EQ(c.model, "gpt-test");
  EXPECT_EQ(c.prompt_tokens, 12u);
  EXPECT_EQ(c.completion_tokens, 3u);
  ASSERT_TRUE(c.cost);
  EXPECT_DOUBLE_EQ(*c.cost, 0.0025);
  EXPECT_TRUE(c.tool_calls.empty());
  EXPECT_TRUE(d.over());
}

TEST(OpenAiStream, NullUsageAndContentAreFine) {
  OpenAiStreamDecoder d;
  auto s = d.consume(R"j({"choices":[{"index":0,"delta":{"content":null,"tool_calls":null},"finish_reason":null}],"usage":null,"model":null})j");
  EXPECT_EQ(s.kind, Kind::progress);
  EXPECT_EQ(s.text, "");
  EXPECT_FALSE(d.completion().prompt_tokens);
}

TEST(OpenAiStream, ToolCallFragmentsAccumulateByIndex) {
  OpenAiStreamDecoder d;
  const char* chunks[] = {
      R"j({"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"calc","arguments":""}}]},"finish_reason":null}]})j",
      R"j({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"ulator","arguments":"{\"expr"}}]}}]})j",
      R"j({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"clock","arguments":"{}"}}]}}]})j",
      R"j({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ession\":\"1+1\"}"}}]}}]})j",
      R"j({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})j",
  };
  for (const char* c : chunks) {
    auto s = d.consume(c);
    EXPECT_EQ(s.kind, Kind::progress) << s.error;
  }
  EXPECT_EQ(d.consume("[DONE]").kind, Kind::done);
  const auto& c = d.completion();
  EXPECT_EQ(c.finish_reason, "tool_calls");
  ASSERT_EQ(c.tool_calls.size(), 2u);
  EXPECT_EQ(c.tool_calls[0].id, "call_a");
  EXPECT_EQ(c.tool_calls[0].name, "calculator");
  EXPECT_EQ(c.tool_calls[0].arguments, R"j({"expression":"1+1"})j");
  EXPECT_EQ(c.tool_calls[1].id, "call_b");
  EXPECT_EQ(c.tool_calls[1].name, "clock");
  EXPECT_EQ(c.tool_calls[1].arguments, "{}");
}

TEST(OpenAiStream, ToolCallsWithoutIndexAreWholeCalls) {
  OpenAiStreamDecoder d;
  EXPECT_EQ(d.consume(R"j({"choices":[{"delta":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{\"x\":1}"}},{"id":"b","function":{"name":"g","arguments":"{}"}}]},"finish_reason":"tool_calls"}]})j").kind,
            Kind::progress);
  EXPECT_EQ(d.end_of_stream().kind, Kind::done);
  ASSERT_EQ(d.completion().tool_calls.size(), 2u);
  EXPECT_EQ(d.completion().tool_calls[0].name, "f");
  EXPECT_EQ(d.completion().tool_calls[1].name, "g");
}

TEST(OpenAiStream, OtherChoicesAreIgnored) {
  OpenAiStreamDecoder d;
  auto s = d.consume(R"j({"choices":[{"index":1,"delta":{"content":"other"}},{"index":0,"delta":{"content":"mine"}}]})j");
  EXPECT_EQ(s.text, "mine");
}

TEST(OpenAiStream, DoneWithoutFinishReasonDefaultsToStop) {
  OpenAiStreamDecoder d;
  d.consume(content_chunk("hi"));
  EXPECT_EQ(d.consume("[DONE]").kind, Kind::done);
  EXPECT_EQ(d.completion().finish_reason, "stop");
}

TEST(OpenAiStream, EndOfStreamAfterFinishReasonIsComplete) {
  OpenAiStreamDecoder d;
  d.consume(content_chunk("hi"));
  d.consume(R"j({"choices":[{"index":0,"delta":{},"finish_reason":"length"}]})j");
  auto s = d.end_of_stream();
  EXPECT_EQ(s.kind, Kind::done);
  EXPECT_EQ(d.completion().finish_reason, "length");
}

TEST(OpenAiStream, EndOfStreamWithoutFinishIsEarly) {
  OpenAiStreamDecoder d;
  d.consume(content_chunk("hi"));
  auto s = d.end_of_stream();
  EXPECT_EQ(s.kind, Kind::malformed);
  EXPECT_EQ(s.error, "malformed stream: stream ended early");
}

TEST(OpenAiStream, ErrorObjectIsARefusal) {
  OpenAiStreamDecoder d;
  d.consume(content_chunk("partial"));
  auto s = d.consume(R"j({"error":{"message":"content refused","type":"invalid_request_error"}})j");
  EXPECT_EQ(s.kind, Kind::refused);
  EXPECT_EQ(s.error, "content refused");
  EXPECT_TRUE(d.over());
  EXPECT_EQ(d.consume(kStop).kind, Kind::malformed);  // nothing after the end
}

TEST(OpenAiStream, ErrorVariants) {
  {
    OpenAiStreamDecoder d;
    auto s = d.consume(R"j({"error":"rate limited"})j");
    EXPECT_EQ(s.kind, Kind::refused);
    EXPECT_EQ(s.error, "rate limited");
  }
  {
    OpenAiStreamDecoder d;
    auto s = d.consume(R"j({"error":{"code":500}})j");
    EXPECT_EQ(s.kind, Kind::refused);
    EXPECT_FALSE(s.error.empty());
  }
}

TEST(OpenAiStream, ToolCallWithoutNameIsMalformedAtTheEnd) {
  OpenAiStreamDecoder d;
  EXPECT_EQ(d.consume(R"j({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"finish_reason":"tool_calls"}]})j").kind,
            Kind::progress);
  auto s = d.consume("[DONE]");
  EXPECT_EQ(s.kind, Kind::malformed);
  EXPECT_NE(s.error.find("without a function name"), std::string::npos);
}

TEST(OpenAiStream, MalformedChunks) {
  const char* cases[] = {
      "{not json",
      "",
      "[1,2]",
      "\"text\"",
      "42",
      R"j({"choices":{}})j",
      R"j({"choices":[5]})j",
      R"j({"choices":[{"index":"0","delta":{}}]})j",
      R"j({"choices":[{"index":-1,"delta":{}}]})j",
      R"j({"choices":[{"delta":[]}]})j",
      R"j({"choices":[{"delta":{"content":5}}]})j",
      R"j({"choices":[{"delta":{"content":["a"]}}]})j",
      R"j({"choices":[{"delta":{"tool_calls":{}}}]})j",
      R"j({"choices":[{"delta":{"tool_calls":[7]}}]})j",
      R"j({"choices":[{"delta":{"tool_calls":[{"index":0.5}]}}]})j",
      R"j({"choices":[{"delta":{"tool_calls":[{"index":100000}]}}]})j",
      R"j({"choices":[{"delta":{"tool_calls":[{"index":0,"id":3}]}}]})j",
      R"j({"choices":[{"delta":{"tool_calls":[{"index":0,"function":"f"}]}}]})j",
      R"j({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"name":1}}]}}]})j",
      R"j({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":{}}}]}}]})j",
      R"j({"choices":[{"delta":{},"finish_reason":1}]})j",
      R"j({"model":7,"choices":[]})j",
      R"j({"usage":[],"choices":[]})j",
      R"j({"usage":{"prompt_tokens":"3"},"choices":[]})j",
      R"j({"usage":{"prompt_tokens":-3},"choices":[]})j",
      R"j({"usage":{"completion_tokens":1.5},"choices":[]})j",
      R"j({"usage":{"cost":"free"},"choices":[]})j",
  };
  for (const char* c : cases) {
    OpenAiStreamDecoder d;
    auto s = d.consume(c);
    EXPECT_EQ(s.kind, Kind::malformed) << c;
    EXPECT_EQ(s.error.rfind("malformed stream: ", 0), 0u) << s.error;
    EXPECT_TRUE(d.over());
  }
}

TEST(OpenAiStream, DataAfterDoneIsMalformed) {
  OpenAiStreamDecoder d;
  d.consume(kStop);
  EXPECT_EQ(d.consume("[DONE]").kind, Kind::done);
  EXPECT_EQ(d.consume(content_chunk("late")).kind, Kind::malformed);
}

TEST(OpenAiStream, WithSseParserFedByteByByte) {
  std::string wire;
  for (const char* piece : {"Echo:", " hi", " there"}) {
    wire += "data: ";
    wire += content_chunk(piece);
    wire += "\r\n\r\n";
  }
  wire += ": keep-alive\r\n\r\n";
  wire += "data: ";
  wire += kStop;
  wire += "\r\n\r\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3}}\r\n\r\ndata: [DONE]\r\n\r\n";

  SseParser parser;
  OpenAiStreamDecoder d;
  std::string text;
  bool done = false;
  std::vector<SseEvent> events;
  for (char c : wire) {
    events.clear();
    ASSERT_TRUE(parser.feed(std::string_view(&c, 1), events));
    for (const auto& ev : events) {
      auto s = d.consume(ev.data);
      text += s.text;
      ASSERT_NE(s.kind, Kind::malformed) << s.error;
      if (s.kind == Kind::done) done = true;
    }
  }
  EXPECT_TRUE(done);
  EXPECT_EQ(text, "Echo: hi there");
  EXPECT_EQ(d.completion().prompt_tokens, 2u);
  EXPECT_EQ(d.completion().completion_tokens, 3u);
}
