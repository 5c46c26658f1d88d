#include "room_access.hpp"

#include <gtest/gtest.h>

namespace parley::server::access {
namespace {

constexpr auto owner = MemberRole::owner;
constexpr auto admin = MemberRole::admin;
constexpr auto member = MemberRole::member;
const std::optional<MemberRole> none;

TEST(RoomAccess, WhoMayEnter) {
  EXPECT_TRUE(may_enter(RoomType::shared, none)) << "a shared room admits anyone signed in";
  EXPECT_FALSE(may_enter(RoomType::group, none));
  EXPECT_FALSE(may_enter(RoomType::private_, none));
  for (auto role : {owner, admin, member}) {
    EXPECT_TRUE(may_enter(RoomType::group, role));
    EXPECT_TRUE(may_enter(RoomType::private_, role));
  }
}

TEST(RoomAccess, WhoMayGrantWhichRole) {
  // The owner adds members and admins, and demotes admins.
  EXPECT_TRUE(may_grant(RoomType::group, owner, member, none));
  EXPECT_TRUE(may_grant(RoomType::group, owner, admin, none));
  EXPECT_TRUE(may_grant(RoomType::group, owner, member, admin));
  // Admins add members only, and leave admins alone.
  EXPECT_TRUE(may_grant(RoomType::group, admin, member, none));
  EXPECT_FALSE(may_grant(RoomType::group, admin, admin, none));
  EXPECT_FALSE(may_grant(RoomType::group, admin, member, admin));
  // Members and outsiders grant nothing; nobody makes a second owner or touches the owner.
  EXPECT_FALSE(may_grant(RoomType::group, member, member, none));
  EXPECT_FALSE(may_grant(RoomType::group, none, member, none));
  EXPECT_FALSE(may_grant(RoomType::group, owner, owner, none));
  EXPECT_FALSE(may_grant(RoomType::group, owner, member, owner));
  // A private room has its owner only.
  EXPECT_FALSE(may_grant(RoomType::private_, owner, member, none));
}

TEST(RoomAccess, WhoMayRemoveWhom) {
  EXPECT_TRUE(may_remove(owner, admin));
  EXPECT_TRUE(may_remove(owner, member));
  EXPECT_FALSE(may_remove(owner, owner));
  EXPECT_TRUE(may_remove(admin, member));
  EXPECT_FALSE(may_remove(admin, admin));
  EXPECT_FALSE(may_remove(admin, owner));
  EXPECT_FALSE(may_remove(member, member));
  EXPECT_FALSE(may_remove(owner, none)) << "not a member: nothing to remove";
}

TEST(RoomAccess, ManagingAndDeleting) {
  EXPECT_TRUE(may_manage(owner));
  EXPECT_TRUE(may_manage(admin));
  EXPECT_FALSE(may_manage(member));
  EXPECT_FALSE(may_manage(none));
  EXPECT_TRUE(may_delete(owner));
  EXPECT_FALSE(may_delete(admin));
}

}  // namespace
}  // namespace parley::server::access
