#include "parley/protocol.hpp"

namespace parley::protocol {
namespace {

struct TypeName {
  const char* operator()(const Hello&) const { return "hello"; }
  const char* operator()(const Join&) const { return "join"; }
  const char* operator()(const Send&) const { return "send"; }
  const char* operator()(const Ping&) const { return "ping"; }
  const char* operator()(const Welcome&) const { return "welcome"; }
  const char* operator()(const Joined&) const { return "joined"; }
  const char* operator()(const Ack&) const { return "ack"; }
  const char* operator()(const Posted&) const { return "message"; }
  const char* operator()(const StreamStarted&) const { return "stream_started"; }
  const char* operator()(const StreamDelta&) const { return "stream_delta"; }
  const char* operator()(const StreamCompleted&) const { return "stream_completed"; }
  const char* operator()(const Error&) const { return "error"; }
  const char* operator()(const Pong&) const { return "pong"; }
  const char* operator()(const CreateRoom&) const { return "create_room"; }
  const char* operator()(const Leave&) const { return "leave"; }
  const char* operator()(const DeleteRoom&) const { return "delete_room"; }
  const char* operator()(const ListRooms&) const { return "list_rooms"; }
  const char* operator()(const GetRoom&) const { return "get_room"; }
  const char* operator()(const Invite&) const { return "invite"; }
  const char* operator()(const RemoveMember&) const { return "remove_member"; }
  const char* operator()(const SetAssistant&) const { return "set_assistant"; }
  const char* operator()(const RoomDetails&) const { return "room"; }
  const char* operator()(const RoomList&) const { return "rooms"; }
  const char* operator()(const Left&) const { return "left"; }
  const char* operator()(const RoomDeleted&) const { return "room_deleted"; }
  const char* operator()(const MemberChanged&) const { return "member"; }
  const char* operator()(const Typing&) const { return "typing"; }
  const char* operator()(const Mark&) const { return "mark"; }
  const char* operator()(const Present&) const { return "present"; }
  const char* operator()(const Presence&) const { return "presence"; }
  const char* operator()(const Receipt&) const { return "receipt"; }
  const char* operator()(const Auth&) const { return "auth"; }
  const char* operator()(const Authed&) const { return "authed"; }
  const char* operator()(const Unsubscribe&) const { return "unsubscribe"; }
  const char* operator()(const Unsubscribed&) const { return "unsubscribed"; }
  const char* operator()(const FetchHistory&) const { return "fetch_history"; }
  const char* operator()(const HistoryPage&) const { return "history_page"; }
  const char* operator()(const StopGeneration&) const { return "stop"; }
  const char* operator()(const Regenerate&) const { return "regenerate"; }
  const char* operator()(const UploadInit&) const { return "upload_init"; }
  const char* operator()(const UploadReady&) const { return "upload_ready"; }
  const char* operator()(const UploadChunk&) const { return "upload_chunk"; }
  const char* operator()(const UploadProgress&) const { return "upload_progress"; }
  const char* operator()(const UploadFinish&) const { return "upload_finish"; }
  const char* operator()(const UploadDone&) const { return "upload_done"; }
  const char* operator()(const ListDocuments&) const { return "list_documents"; }
  const char* operator()(const DocumentList&) const { return "documents"; }
  const char* operator()(const DocumentUpdate&) const { return "document"; }
  const char* operator()(const DeleteDocument&) const { return "delete_document"; }
  const char* operator()(const DocumentDeleted&) const { return "document_deleted"; }
  const char* operator()(const ComponentSubmit&) const { return "component_submit"; }
  const char* operator()(const StateChangeRequest&) const { return "state_change_request"; }
  const char* operator()(const StateUpdate&) const { return "state_update"; }
  const char* operator()(const TranscriptUpdate&) const { return "transcript_update"; }
  const char* operator()(const SpeechEvent&) const { return "speech_event"; }
};

}  // namespace

const char* type_name(const Message& m) { return std::visit(TypeName{}, m); }

const char* to_string(MessageKind k) {
  switch (k) {
    case MessageKind::user:
      return "user";
    case MessageKind::assistant:
      return "assistant";
    case MessageKind::system:
      return "system";
    case MessageKind::end:
      return "end";
    case MessageKind::step:
      return "step";
  }
  return "user";
}

const char* to_string(MessageStatus s) {
  switch (s) {
    case MessageStatus::complete:
      return "complete";
    case MessageStatus::streaming:
      return "streaming";
    case MessageStatus::interrupted:
      return "interrupted";
    case MessageStatus::stopped:
      return "stopped";
    case MessageStatus::error:
      return "error";
  }
  return "complete";
}

const char* to_string(Resume r) {
  switch (r) {
    case Resume::none:
      return "none";
    case Resume::ok:
      return "ok";
    case Resume::reset:
      return "reset";
  }
  return "none";
}

const char* to_string(RoomType t) {
  switch (t) {
    case RoomType::private_:
      return "private";
    case RoomType::shared:
      return "shared";
    case RoomType::group:
      return "group";
  }
  return "shared";
}

const char* to_string(AssistantMode m) {
  switch (m) {
    case AssistantMode::always:
      return "always";
    case AssistantMode::mention:
      return "mention";
    case AssistantMode::off:
      return "off";
  }
  return "always";
}

const char* to_string(MemberRole r) {
  switch (r) {
    case MemberRole::owner:
      return "owner";
    case MemberRole::admin:
      return "admin";
    case MemberRole::member:
      return "member";
  }
  return "member";
}

}  // namespace parley::protocol
