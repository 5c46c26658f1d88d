// Uploads from the client's side: chunks in a window, the finish with the file's
// SHA-256, resuming from the server's count, failures, and the room's documents.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parley/base64.hpp"
#include "parley/room_documents.hpp"
#include "parley/sha256.hpp"

namespace parley::client {
namespace {

namespace p = parley::protocol;

struct Wire {
  std::vector<p::Message> sent;
  RoomDocuments::Writer writer() {
    return [this](const p::Message& m) { sent.push_back(m); };
  }
  template <class T>
  std::vector<T> of() const {
    std::vector<T> out;
    for (const auto& m : sent)
      if (auto* x = std::get_if<T>(&m)) out.push_back(*x);
    return out;
  }
};

const std::string kFile = "0123456789abcdefghijklmnopqrstuvwxyz";  // 36 bytes: 9 chunks of 4

TEST(RoomDocuments, SendsChunksInAWindowThenFinishesWithTheChecksum) {
  RoomDocuments docs;
  Wire wire;
  ASSERT_TRUE(docs.add_upload("lobby", "u1", "notes.txt", "text/plain", kFile));
  EXPECT_TRUE(docs.busy());
  docs.on_live(wire.writer());
  ASSERT_EQ(wire.of<p::UploadInit>().size(), 1u);
  EXPECT_EQ(wire.of<p::UploadInit>()[0],
            (p::UploadInit{"lobby", "u1", "notes.txt", kFile.size(), "text/plain"}));

  docs.handle(p::UploadReady{"u1", 0, 4, 9}, wire.writer());
  auto chunks = wire.of<p::UploadChunk>();
  ASSERT_EQ(chunks.size(), RoomDocuments::kWindow) << "no more than the window ahead";
  EXPECT_EQ(chunks[1], (p::UploadChunk{"u1", 1, base64_encode("4567")}));
  docs.handle(p::UploadProgress{"u1", 2, 8}, wire.writer());
  EXPECT_EQ(wire.of<p::UploadChunk>().size(), 6u);
  EXPECT_EQ(docs.uploads()[0].stored_bytes, 8u);
  EXPECT_EQ(docs.uploads()[0].percent(), 8u * 95 / 36);
  docs.handle(p::UploadProgress{"u1", 6, 24}, wire.writer());
  docs.handle(p::UploadProgress{"u1", 9, 36}, wire.writer());
  chunks = wire.of<p::UploadChunk>();
  ASSERT_EQ(chunks.size(), 9u);
  std::string joined;
  for (const auto& c : chunks) joined += *base64_decode(c.data);
  EXPECT_EQ(joined, kFile);
  ASSERT_EQ(wire.of<p::UploadFinish>().size(), 1u);
  EXPECT_EQ(wire.of<p::UploadFinish>()[0].sha256, Sha256::hex_of(kFile));
  EXPECT_EQ(docs.uploads()[0].state, UploadStatus::State::checking);

  p::Document d;
  d.id = 5;
  d.room = "lobby";
  d.name = "notes.txt";
  d.state = "processing";
  docs.handle(p::UploadDone{"u1", d}, wire.writer());
  EXPECT_EQ(docs.uploads()[0].state, UploadStatus::State::done);
  EXPECT_EQ(docs.uploads()[0].document_id, 5u);
  EXPECT_EQ(docs.uploads()[0].percent(), 100u);
  EXPECT_FALSE(docs.busy());
  ASSERT_NE(docs.document(5), nullptr);
  d.state = "ready";
  docs.handle(p::DocumentUpdate{d}, wire.writer());
  EXPECT_EQ(docs.document(5)->state, "ready");
  docs.handle(p::DocumentDeleted{"lobby", 5}, wire.writer());
  EXPECT_EQ(docs.document(5), nullptr);
}

TEST(RoomDocuments, AfterAReconnectGoesOnFromWhatTheServerHas) {
  RoomDocuments docs;
  Wire wire;
  docs.add_upload("lobby", "u1", "notes.txt", "text/plain", kFile);
  docs.on_live(wire.writer());
  docs.handle(p::UploadReady{"u1", 0, 4, 9}, wire.writer());
  docs.handle(p::UploadProgress{"u1", 3, 12}, wire.writer());
  // The connection dropped; live again: the upload is asked for again, not restarted.
  Wire again;
  docs.on_live(again.writer());
  ASSERT_EQ(again.of<p::UploadInit>().size(), 1u);
  docs.handle(p::UploadReady{"u1", 3, 4, 9}, again.writer());
  const auto chunks = again.of<p::UploadChunk>();
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks.front().index, 3u) << "from the first chunk not confirmed";
}

TEST(RoomDocuments, ARefusalEndsThatUploadAsFailed) {
  RoomDocuments docs;
  Wire wire;
  docs.add_upload("lobby", "u1", "a.txt", "text/plain", "abc");
  docs.add_upload("lobby", "u2", "b.txt", "text/plain", "def");
  docs.on_live(wire.writer());
  EXPECT_TRUE(docs.on_error(p::Error{"checksum_mismatch", "the file's SHA-256 is …", "u1", 0}));
  EXPECT_FALSE(docs.on_error(p::Error{"not_found", "", "lobby", 0})) << "not about an upload";
  const auto ups = docs.uploads();
  EXPECT_EQ(ups[0].state, UploadStatus::State::failed);
  EXPECT_EQ(ups[0].error, "checksum_mismatch: the file's SHA-256 is …");
  EXPECT_EQ(ups[1].state, UploadStatus::State::waiting);
  EXPECT_TRUE(docs.busy());
}

TEST(RoomDocuments, RefusesWhatTheServerWouldRefuse) {
  RoomDocuments docs;
  EXPECT_EQ(docs.add_upload("lobby", "u1", "../x.txt", "text/plain", "abc").code,
            std::string("invalid_file_name"));
  EXPECT_FALSE(docs.add_upload("lobby", "u1", "x.txt", "text/plain", ""));
  EXPECT_FALSE(docs.busy());
}

}  // namespace
}  // namespace parley::client
