#pragma once

#include <QGroupBox>
#include <QHash>

class QButtonGroup;
class QLabel;
class QSpinBox;

namespace tablesync {

class PasswordStore;
class ProfileDocument;

// The profile's sync, pool and timeout keys (INTERVAL, FETCH_LIMIT, POOL_*, ...), each a spin box
// bound to its .env key and showing the engine's default when the key is not set, plus where
// passwords are kept.
class OptionsForm : public QWidget
{
    Q_OBJECT
public:
    OptionsForm(ProfileDocument *document, PasswordStore *passwords, QWidget *parent = nullptr);

private:
    struct Option
    {
        const char16_t *key;
        const char *label;
        const char *help;
        int defaultValue;
        int min;
        int max;
        const char *suffix;
        const char *specialText; // shown for the minimum, e.g. "never" for POOL_RECYCLE -1
    };
    QGroupBox *addGroup(const QString &title, std::initializer_list<Option> options);
    void loadFromDocument();
    void loadKey(const QString &key);
    void updatePasswordChoice();

    ProfileDocument *m_document = nullptr;
    PasswordStore *m_passwords = nullptr;
    QHash<QString, QSpinBox *> m_spins;
    QHash<QString, int> m_defaults;
    QButtonGroup *m_passwordChoice = nullptr;
    QLabel *m_passwordNote = nullptr;
};

} // namespace tablesync
