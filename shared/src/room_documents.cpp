#include "parley/room_documents.hpp"

#include <algorithm>

#include "parley/base64.hpp"
#include "parley/error_codes.hpp"
#include "parley/sha256.hpp"

namespace parley::client {

unsigned UploadStatus::percent() const {
  if (state == State::done) return 100;
  if (size == 0) return 0;
  // Storing the chunks is most of the way; the check and scan the rest.
  return static_cast<unsigned>(stored_bytes * 95 / size);
}

const char* to_string(UploadStatus::State s) {
  switch (s) {
    case UploadStatus::State::waiting: return "waiting";
    case UploadStatus::State::sending: return "sending";
    case UploadStatus::State::checking: return "checking";
    case UploadStatus::State::done: return "done";
    case UploadStatus::State::failed: return "failed";
  }
  return "";
}

validation::Verdict RoomDocuments::add_upload(std::string room, std::string upload_id,
                                              std::string file_name, std::string media_type,
                                              std::string bytes) {
  validation::Verdict v = validation::check_file_name(file_name);
  if (!v) return v;
  if (bytes.empty()) {
    v.code = error_codes::bad_field;
    v.reason = "the file is empty";
    return v;
  }
  Upload u;
  u.status.upload_id = std::move(upload_id);
  u.status.file_name = std::move(file_name);
  u.status.size = bytes.size();
  u.room = std::move(room);
  u.media_type = std::move(media_type);
  u.sha256 = Sha256::hex_of(bytes);
  u.bytes = std::move(bytes);
  uploads_.push_back(std::move(u));
  ++revision_;
  return v;
}

RoomDocuments::Upload* RoomDocuments::find(std::string_view upload_id) {
  for (Upload& u : uploads_)
    if (u.status.upload_id == upload_id) return &u;
  return nullptr;
}

void RoomDocuments::on_live(const Writer& write) {
  for (Upload& u : uploads_) u.init_sent = false;
  start_uploads(write);
}

void RoomDocuments::start_uploads(const Writer& write) {
  for (Upload& u : uploads_) {
    const auto state = u.status.state;
    if (u.init_sent || state == UploadStatus::State::done || state == UploadStatus::State::failed)
      continue;
    u.init_sent = true;
    if (state == UploadStatus::State::checking) {
      // Finishing when the connection dropped: the server either kept it (a document
      // frame says so) or forgot the upload; asking again sorts it out.
      u.status.state = UploadStatus::State::sending;
    }
    write(protocol::UploadInit{u.room, u.status.upload_id, u.status.file_name, u.status.size,
                               u.media_type});
  }
}

void RoomDocuments::pump(Upload& u, const Writer& write) {
  while (u.next_to_send < u.total && u.next_to_send < u.confirmed + kWindow) {
    const std::size_t offset = std::size_t{u.next_to_send} * u.chunk_bytes;
    const std::string_view piece = std::string_view(u.bytes).substr(offset, u.chunk_bytes);
    write(protocol::UploadChunk{u.status.upload_id, u.next_to_send, base64_encode(piece)});
    ++u.next_to_send;
  }
}

void RoomDocuments::upsert(const protocol::Document& d) {
  auto it = std::find_if(documents_.begin(), documents_.end(),
                         [&](const protocol::Document& x) { return x.id == d.id; });
  if (it == documents_.end()) {
    documents_.push_back(d);
  } else {
    *it = d;
  }
  ++revision_;
}

bool RoomDocuments::handle(const protocol::Message& m, const Writer& write) {
  if (auto* r = std::get_if<protocol::UploadReady>(&m)) {
    Upload* u = find(r->upload_id);
    if (u == nullptr || u->status.state == UploadStatus::State::done) return true;
    u->chunk_bytes = std::max<std::uint32_t>(1, r->chunk_bytes);
    u->total = r->total_chunks;
    u->confirmed = r->next_chunk;
    u->next_to_send = r->next_chunk;
    u->status.stored_bytes = std::min<std::uint64_t>(u->status.size, std::uint64_t{r->next_chunk} * u->chunk_bytes);
    u->status.state = UploadStatus::State::sending;
    ++revision_;
    if (u->confirmed >= u->total) {
      u->status.state = UploadStatus::State::checking;
      write(protocol::UploadFinish{u->status.upload_id, u->sha256});
      return true;
    }
    pump(*u, write);
    return true;
  }
  if (auto* p = std::get_if<protocol::UploadProgress>(&m)) {
    Upload* u = find(p->upload_id);
    if (u == nullptr || u->status.state != UploadStatus::State::sending) return true;
    u->confirmed = std::max(u->confirmed, p->next_chunk);
    u->status.stored_bytes = p->received_bytes;
    ++revision_;
    if (u->confirmed >= u->total) {
      u->status.state = UploadStatus::State::checking;
      write(protocol::UploadFinish{u->status.upload_id, u->sha256});
    } else {
      pump(*u, write);
    }
    return true;
  }
  if (auto* d = std::get_if<protocol::UploadDone>(&m)) {
    if (Upload* u = find(d->upload_id)) {
      u->status.state = UploadStatus::State::done;
      u->status.stored_bytes = u->status.size;
      u->status.document_id = d->document.id;
      u->bytes.clear();
      u->bytes.shrink_to_fit();
    }
    upsert(d->document);
    return true;
  }
  if (auto* list = std::get_if<protocol::DocumentList>(&m)) {
    documents_ = list->documents;
    ++revision_;
    return true;
  }
  if (auto* update = std::get_if<protocol::DocumentUpdate>(&m)) {
    upsert(update->document);
    return true;
  }
  if (auto* gone = std::get_if<protocol::DocumentDeleted>(&m)) {
    std::erase_if(documents_, [&](const protocol::Document& x) { return x.id == gone->document_id; });
    ++revision_;
    return true;
  }
  return false;
}

bool RoomDocuments::on_error(const protocol::Error& e) {
  Upload* u = find(e.ref);
  if (u == nullptr || u->status.state == UploadStatus::State::done ||
      u->status.state == UploadStatus::State::failed)
    return false;
  if (e.code == error_codes::rate_limited || e.code == error_codes::not_joined) {
    return false;  // not the file's fault: it starts again when the room is live again
  }
  u->status.state = UploadStatus::State::failed;
  u->status.error = e.message.empty() ? e.code : e.code + ": " + e.message;
  u->bytes.clear();
  u->bytes.shrink_to_fit();
  ++revision_;
  return true;
}

void RoomDocuments::clear() {
  uploads_.clear();
  documents_.clear();
  ++revision_;
}

bool RoomDocuments::busy() const {
  return std::any_of(uploads_.begin(), uploads_.end(), [](const Upload& u) {
    return u.status.state != UploadStatus::State::done &&
           u.status.state != UploadStatus::State::failed;
  });
}

std::vector<UploadStatus> RoomDocuments::uploads() const {
  std::vector<UploadStatus> out;
  for (const Upload& u : uploads_) out.push_back(u.status);
  return out;
}

const protocol::Document* RoomDocuments::document(std::uint64_t id) const {
  for (const auto& d : documents_)
    if (d.id == id) return &d;
  return nullptr;
}

}  // namespace parley::client
