// Signing in to an account: the model asks the platform for a token, then signs in with
// it; a bare name signs in at once; token refusals send the user back to sign in.
#include <gtest/gtest.h>

#include "parley/client_model/app_model.hpp"
#include "parley/codec.hpp"
#include "parley/error_codes.hpp"

namespace parley::client {
namespace {

namespace p = parley::protocol;

AppModel make_model() {
  return AppModel{SessionOptions{}, [] { return std::string("c1"); }, [] { return 0.5; }, 0};
}

Intents sign_in(std::string name, std::string password, bool create = false) {
  Intents in;
  in.name_draft = std::move(name);
  in.password_draft = std::move(password);
  in.join = !create;
  in.create_account = create;
  return in;
}

TEST(AppModelLogin, ABareNameSignsInAtOnce) {
  AppModel m = make_model();
  m.apply(sign_in("ada", ""));
  EXPECT_FALSE(m.take_login_request().has_value());
  EXPECT_TRUE(m.session().signed_in());
}

TEST(AppModelLogin, APasswordAsksForATokenFirstAndHelloCarriesIt) {
  AppModel m = make_model();
  m.apply(sign_in("ada", "correct horse"));
  EXPECT_FALSE(m.session().signed_in());
  EXPECT_TRUE(m.signing_in());
  const auto req = m.take_login_request();
  ASSERT_TRUE(req.has_value());
  EXPECT_EQ(req->name, "ada");
  EXPECT_EQ(req->password, "correct horse");
  EXPECT_FALSE(req->create);
  EXPECT_FALSE(m.take_login_request().has_value()) << "asked once";
  m.apply(sign_in("ada", "again"));  // a second press while waiting does nothing
  EXPECT_FALSE(m.take_login_request().has_value());

  m.login_result(true, "Ada", "tok.en.sig", "");
  EXPECT_FALSE(m.signing_in());
  ASSERT_TRUE(m.session().signed_in());
  EXPECT_EQ(m.session().user(), "Ada");
  EXPECT_EQ(m.session().saved().token, "tok.en.sig");
  ASSERT_TRUE(m.session().take_connect_request(0));
  m.session().on_connected(0);
  const auto frames = m.session().take_outbox();
  ASSERT_EQ(frames.size(), 1u);
  const auto hello = p::decode(frames[0]);
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(std::get<p::Hello>(*hello.value).token, "tok.en.sig");
}

TEST(AppModelLogin, CreatingAnAccountNeedsAPasswordOfEightCharacters) {
  AppModel m = make_model();
  m.apply(sign_in("ada", "short", true));
  EXPECT_FALSE(m.take_login_request().has_value());
  EXPECT_FALSE(m.refusal().empty());
  m.apply(sign_in("ada", "long enough", true));
  const auto req = m.take_login_request();
  ASSERT_TRUE(req.has_value());
  EXPECT_TRUE(req->create);
}

TEST(AppModelLogin, AFailedSignInSaysWhy) {
  AppModel m = make_model();
  m.apply(sign_in("ada", "wrong"));
  m.take_login_request();
  m.login_result(false, "", "", "unknown name or wrong password");
  EXPECT_FALSE(m.session().signed_in());
  EXPECT_FALSE(m.signing_in());
  EXPECT_EQ(m.refusal(), "unknown name or wrong password");
}

TEST(AppModelLogin, ARefusedTokenSendsTheUserBackToSignIn) {
  AppModel m = make_model();
  m.apply(sign_in("ada", "pw-pw-pw-pw"));
  m.take_login_request();
  m.login_result(true, "ada", "old.token.sig", "");
  ASSERT_TRUE(m.session().take_connect_request(0));
  m.session().on_connected(0);
  m.session().on_frame(0, p::encode(p::Error{error_codes::token_expired, "the token has expired",
                                             "hello", 0}));
  EXPECT_FALSE(m.session().signed_in());
  EXPECT_EQ(m.screen(), Screen::sign_in);
  EXPECT_TRUE(m.session().saved().user.empty()) << "nothing stale is kept for a reload";
}

}  // namespace
}  // namespace parley::client
