#pragma once

// The setup window's IDEXX Neo login (issue: "the real Neo login in a visible window"): Neo's own login
// page in a visible QWebEngineView, on the same locked page and off-the-record profile as unattended runs
// (sync/neo: NeoProfile, NeoPage: only the clinic's Neo origin, certificate errors refused, no pop-ups).
// A person types the company id, user name and password, and the second factor when Neo asks, on Neo's
// page. The agent submits nothing: when the person submits the form, login_capture.js (in the isolated
// world) hands over what the form holds, and the page's answer is judged by the same rules as a run's
// login (login_outcome.js, sync/neo/login_verdict.h). accepted() carries the login only once Neo accepted
// it (the dashboard and a new session cookie); a rejection carries Neo's own words for the person. Nothing
// is stored here: the caller saves the login after accepted(), and nothing when it is cancelled.

#include "storage/idexx_credentials.h"
#include "storage/result.h"
#include "sync/neo/neo_origin.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

class QWebEngineView;
class QWidget;

namespace odis::sync {
class NeoPage;
class NeoProfile;
class OriginCookieJar;
struct LoginPageState;
} // namespace odis::sync

namespace odis::ui {

class NeoLoginCapture : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Loading,         // the login page is loading
        WaitingForLogin, // the form is shown; the person types
        Checking,        // the form was submitted: waiting for Neo's answer
        WaitingForCode,  // Neo asks for the second factor on its page
        Accepted,
        Failed,
    };
    Q_ENUM(State)

    NeoLoginCapture(sync::NeoOrigin origin, QObject* parent = nullptr);
    ~NeoLoginCapture() override;

    // Makes the profile, the page and the view (a child of `viewParent`) and loads /login.
    // Error neo_script_failed when the page scripts are missing.
    [[nodiscard]] Status start(QWidget* viewParent);
    // The page, then the profile, go away (Cancel, or done); the view stays empty.
    void stop();

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QWebEngineView* view() const;
    [[nodiscard]] sync::NeoPage* page() const;
    // How many times the person submitted the login form (each reached Neo once).
    [[nodiscard]] int submissions() const { return m_submissions; }
    // Once Neo accepted the login: the session it made, as a handover for the first sync run
    // (sync/neo/session_handover.h; the page's cookies of the Neo origin). Empty before, and after stop().
    [[nodiscard]] QByteArray sessionHandover() const;

Q_SIGNALS:
    void stateChanged(odis::ui::NeoLoginCapture::State state);
    // Neo accepted this login (after the second factor, when it asked for one).
    void accepted(const odis::storage::IdexxLogin& login);
    // Neo refused it; `pageMessage` is Neo's text for the person (never logged). The form is shown again.
    void rejected(const QString& pageMessage);
    void failed(const odis::Error& error);

private:
    void enter(State state);
    void onLoadFinished(bool ok);
    void armCapture();
    void readOutcome();
    void judge(const sync::LoginPageState& page);

    sync::NeoOrigin m_origin;
    std::unique_ptr<sync::NeoProfile> m_profile;
    std::unique_ptr<sync::OriginCookieJar> m_jar; // listens to m_profile's store: goes before it
    QPointer<sync::NeoPage> m_page;               // deleted before m_profile
    QPointer<QWebEngineView> m_view;
    State m_state = State::Loading;
    std::optional<storage::IdexxLogin> m_submitted; // what the form held at its last submission
    quint64 m_cookieGeneration = 0;
    int m_submissions = 0;
    quint64 m_generation = 0; // raised for every document, so a late answer of an old one is ignored
};

} // namespace odis::ui
