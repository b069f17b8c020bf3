// FieldCipher and FieldKeyRing: blob format, tamper resistance, key rotation, key-ring serialisation.

#include "storage/field_cipher.h"

#include <QSet>
#include <QTest>
#include <QtEndian>

using namespace odis::storage;

namespace {

const QByteArray kPurpose = QByteArrayLiteral("diagnostics");
const QByteArray kSecret = QByteArrayLiteral("run 42: 17 visits read, 3 calls planned, log tail follows");

// The error text of a failed Result, for QVERIFY2; empty (and never touching error()) on success.
template <typename R> QByteArray failure(const R& result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

QByteArray bytesOf(char fill)
{
    return QByteArray(FieldKeyRing::kKeySize, fill);
}

FieldKeyRing ringWith(std::initializer_list<std::pair<quint32, char>> keys, quint32 current)
{
    FieldKeyRing ring;
    for (const auto& [id, fill] : keys) {
        const auto added = ring.add(id, bytesOf(fill));
        if (!added)
            qFatal("test setup: %s", qPrintable(added.error().toString()));
    }
    if (!ring.setCurrent(current))
        qFatal("test setup: no key %u", current);
    return ring;
}

QByteArray withKeyId(QByteArray blob, quint32 id)
{
    qToBigEndian<quint32>(id, blob.data() + 1);
    return blob;
}

QString codeOf(const odis::Result<QByteArray>& r)
{
    return r ? QStringLiteral("ok") : r.error().code;
}

} // namespace

class TstFieldCipher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sealThenOpenRoundTrips_data()
    {
        QTest::addColumn<QByteArray>("plaintext");
        QTest::addColumn<QByteArray>("purpose");
        QTest::newRow("empty blob") << QByteArray() << kPurpose;
        QTest::newRow("one byte") << QByteArrayLiteral("x") << kPurpose;
        QTest::newRow("text, no purpose") << kSecret << QByteArray();
        QTest::newRow("binary screenshot") << QByteArray(70000, '\xA5') << QByteArrayLiteral("screenshot");
    }
    void sealThenOpenRoundTrips()
    {
        QFETCH(QByteArray, plaintext);
        QFETCH(QByteArray, purpose);
        const FieldCipher cipher(ringWith({{7, 'a'}}, 7));
        const auto blob = cipher.seal(plaintext, purpose);
        QVERIFY2(blob.has_value(), failure(blob).constData());
        QCOMPARE(blob->size(), plaintext.size() + FieldCipher::kOverhead);
        QCOMPARE(static_cast<quint8>(blob->at(0)), FieldCipher::kFormatVersion);
        QCOMPARE(FieldCipher::keyIdOf(*blob).value(), 7u);
        if (plaintext.size() >= 8)
            QVERIFY(!blob->contains(plaintext.first(8)));
        const auto opened = cipher.open(*blob, purpose);
        QVERIFY2(opened.has_value(), failure(opened).constData());
        QVERIFY(*opened == plaintext);
    }

    void everySealDrawsAFreshNonce()
    {
        const FieldCipher cipher(ringWith({{1, 'a'}}, 1));
        QSet<QByteArray> nonces;
        for (int i = 0; i < 64; ++i) {
            const auto blob = cipher.seal(kSecret, kPurpose);
            QVERIFY(blob.has_value());
            nonces.insert(blob->sliced(5, 12));
        }
        QCOMPARE(nonces.size(), 64);
    }

    // Whatever single bit changes, anywhere in the blob, open() refuses it with a typed error.
    void everyFlippedByteIsRefused()
    {
        const FieldCipher cipher(ringWith({{1, 'a'}, {2, 'b'}}, 1));
        const QByteArray blob = cipher.seal(kSecret, kPurpose).value();
        for (qsizetype i = 0; i < blob.size(); ++i) {
            for (int bit : {0, 7}) {
                QByteArray tampered = blob;
                tampered[i] = static_cast<char>(tampered.at(i) ^ (1 << bit));
                const auto opened = cipher.open(tampered, kPurpose);
                const QString where =
                    QStringLiteral("byte %1 bit %2: %3").arg(i).arg(bit).arg(codeOf(opened));
                QVERIFY2(!opened.has_value(), qPrintable(where));
                QString expected = QStringLiteral("field_auth_failed");
                if (i == 0)
                    expected = QStringLiteral("field_malformed"); // version byte
                else if (i <= 4)
                    expected = QStringLiteral("field_key_unknown"); // id 1 became one the ring lacks
                QVERIFY2(opened.error().code == expected, qPrintable(where));
            }
        }
    }

    void truncatedBlobIsRefused()
    {
        const FieldCipher cipher(ringWith({{1, 'a'}}, 1));
        const QByteArray blob = cipher.seal(kSecret, kPurpose).value();
        for (qsizetype length = 0; length < blob.size(); ++length) {
            const auto opened = cipher.open(blob.first(length), kPurpose);
            const QString where = QStringLiteral("length %1: %2").arg(length).arg(codeOf(opened));
            QVERIFY2(!opened.has_value(), qPrintable(where));
            const QString expected = length < FieldCipher::kOverhead ? QStringLiteral("field_malformed")
                                                                     : QStringLiteral("field_auth_failed");
            QVERIFY2(opened.error().code == expected, qPrintable(where));
        }
    }

    void extendedBlobIsRefused_data()
    {
        QTest::addColumn<QByteArray>("suffix");
        QTest::newRow("one zero byte") << QByteArray(1, '\0');
        QTest::newRow("a second tag") << QByteArray(16, '\x11');
        QTest::newRow("text") << QByteArrayLiteral("appended");
    }
    void extendedBlobIsRefused()
    {
        QFETCH(QByteArray, suffix);
        const FieldCipher cipher(ringWith({{1, 'a'}}, 1));
        const QByteArray blob = cipher.seal(kSecret, kPurpose).value();
        QCOMPARE(codeOf(cipher.open(blob + suffix, kPurpose)), QStringLiteral("field_auth_failed"));
        // Prepended bytes shift the header: the version byte is no longer 1.
        QCOMPARE(codeOf(cipher.open(suffix + blob, kPurpose)), QStringLiteral("field_malformed"));
    }

    void wrongKeyIsRefused()
    {
        const QByteArray blob = FieldCipher(ringWith({{1, 'a'}}, 1)).seal(kSecret, kPurpose).value();
        const FieldCipher otherInstall(ringWith({{1, 'z'}}, 1)); // same id, different key
        QCOMPARE(codeOf(otherInstall.open(blob, kPurpose)), QStringLiteral("field_auth_failed"));
    }

    void unknownKeyIdIsRefused()
    {
        const QByteArray blob = FieldCipher(ringWith({{5, 'a'}}, 5)).seal(kSecret, kPurpose).value();
        const FieldCipher cipher(ringWith({{1, 'a'}, {2, 'b'}}, 2));
        QCOMPARE(codeOf(cipher.open(blob, kPurpose)), QStringLiteral("field_key_unknown"));
        QCOMPARE(codeOf(cipher.open(withKeyId(blob, 0), kPurpose)), QStringLiteral("field_key_unknown"));
    }

    // Rewriting the key id to another key of the ring is caught: the header is associated data.
    void swappedKeyIdIsRefused()
    {
        // Both ids hold the same key bytes, so only the header binding can catch the swap.
        const FieldCipher cipher(ringWith({{1, 'a'}, {2, 'a'}}, 1));
        const QByteArray blob = cipher.seal(kSecret, kPurpose).value();
        QVERIFY(cipher.open(blob, kPurpose).has_value());
        QCOMPARE(codeOf(cipher.open(withKeyId(blob, 2), kPurpose)), QStringLiteral("field_auth_failed"));
    }

    void otherPurposeIsRefused()
    {
        const FieldCipher cipher(ringWith({{1, 'a'}}, 1));
        const QByteArray blob = cipher.seal(kSecret, kPurpose).value();
        QCOMPARE(codeOf(cipher.open(blob, QByteArrayLiteral("screenshot"))),
                 QStringLiteral("field_auth_failed"));
        QCOMPARE(codeOf(cipher.open(blob, {})), QStringLiteral("field_auth_failed"));
    }

    void unsupportedVersionIsMalformed()
    {
        const FieldCipher cipher(ringWith({{1, 'a'}}, 1));
        QByteArray blob = cipher.seal(kSecret, kPurpose).value();
        blob[0] = 2;
        QCOMPARE(codeOf(cipher.open(blob, kPurpose)), QStringLiteral("field_malformed"));
        QCOMPARE(FieldCipher::keyIdOf(blob).error().code, QStringLiteral("field_malformed"));
    }

    void rotationKeepsOldBlobsReadable()
    {
        auto ring = FieldKeyRing::generate();
        QVERIFY(ring.has_value());
        FieldCipher cipher(*ring);
        const QByteArray before = cipher.seal(kSecret, kPurpose).value();
        QCOMPARE(FieldCipher::keyIdOf(before).value(), 1u);

        FieldKeyRing rotated = cipher.keys();
        const auto newId = rotated.rotate();
        QVERIFY(newId.has_value());
        QCOMPARE(*newId, 2u);
        QCOMPARE(rotated.currentId(), 2u);
        QVERIFY(rotated.key(1) != rotated.key(2));
        cipher.setKeys(rotated);

        const QByteArray after = cipher.seal(kSecret, kPurpose).value();
        QCOMPARE(FieldCipher::keyIdOf(after).value(), 2u);
        QCOMPARE(cipher.open(before, kPurpose).value(), kSecret);
        QCOMPARE(cipher.open(after, kPurpose).value(), kSecret);

        // Once old blobs are re-sealed, the old key is retired and its blobs no longer open.
        QCOMPARE(rotated.remove(2).error().code, QStringLiteral("field_key_current"));
        QVERIFY(rotated.remove(1).has_value());
        cipher.setKeys(rotated);
        QCOMPARE(codeOf(cipher.open(before, kPurpose)), QStringLiteral("field_key_unknown"));
        QCOMPARE(cipher.open(after, kPurpose).value(), kSecret);
    }

    void emptyRingCannotSeal()
    {
        const FieldCipher cipher{FieldKeyRing{}};
        QCOMPARE(codeOf(cipher.seal(kSecret)), QStringLiteral("field_key_unknown"));
    }

    void keyRingSerialisationRoundTrips()
    {
        FieldKeyRing ring = ringWith({{1, 'a'}, {2, 'b'}, {9, 'c'}}, 2);
        const QByteArray bytes = ring.toBytes();
        QCOMPARE(bytes.size(), 11 + 3 * 36);
        const auto back = FieldKeyRing::fromBytes(bytes);
        QVERIFY2(back.has_value(), failure(back).constData());
        QVERIFY(*back == ring);
        QCOMPARE(back->currentId(), 2u);
        QCOMPARE(back->ids(), (QList<quint32>{1, 2, 9}));
        QCOMPARE(back->key(9).value(), bytesOf('c'));

        // A blob sealed before the ring went through the keychain opens after it came back.
        const QByteArray blob = FieldCipher(ring).seal(kSecret).value();
        QCOMPARE(FieldCipher(*back).open(blob).value(), kSecret);
    }

    void malformedKeyRingIsRefused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        const QByteArray good = ringWith({{1, 'a'}, {2, 'b'}}, 1).toBytes();
        QByteArray badMagic = good;
        badMagic[0] = 'X';
        QByteArray badFormat = good;
        badFormat[4] = 2;
        QByteArray absentCurrent = good;
        qToBigEndian<quint32>(3, absentCurrent.data() + 5);
        QByteArray duplicateId = good;
        qToBigEndian<quint32>(1, duplicateId.data() + 11 + 36);
        QByteArray zeroId = good;
        qToBigEndian<quint32>(0, zeroId.data() + 11 + 36);
        QByteArray noKeys = good.first(11);
        qToBigEndian<quint16>(0, noKeys.data() + 9);
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("wrong magic") << badMagic;
        QTest::newRow("unknown format") << badFormat;
        QTest::newRow("current key absent") << absentCurrent;
        QTest::newRow("duplicate id") << duplicateId;
        QTest::newRow("key id 0") << zeroId;
        QTest::newRow("no keys") << noKeys;
        QTest::newRow("truncated") << good.chopped(1);
        QTest::newRow("trailing byte") << (good + '\0');
        QTest::newRow("a raw 32-byte key") << bytesOf('k');
    }
    void malformedKeyRingIsRefused()
    {
        QFETCH(QByteArray, bytes);
        const auto ring = FieldKeyRing::fromBytes(bytes);
        QVERIFY(!ring.has_value());
        QCOMPARE(ring.error().code, QStringLiteral("field_keyring_malformed"));
    }

    void keyRingRefusesBadKeys_data()
    {
        QTest::addColumn<quint32>("id");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QString>("code");
        QTest::newRow("id 0") << 0u << bytesOf('a') << QStringLiteral("field_key_invalid");
        QTest::newRow("16-byte key") << 3u << QByteArray(16, 'a') << QStringLiteral("field_key_invalid");
        QTest::newRow("duplicate id") << 1u << bytesOf('b') << QStringLiteral("field_key_duplicate");
    }
    void keyRingRefusesBadKeys()
    {
        QFETCH(quint32, id);
        QFETCH(QByteArray, key);
        QFETCH(QString, code);
        FieldKeyRing ring = ringWith({{1, 'a'}}, 1);
        const auto added = ring.add(id, key);
        QVERIFY(!added.has_value());
        QCOMPARE(added.error().code, code);
        QCOMPARE(ring.ids(), QList<quint32>{1});
    }

    void generatedRingsDiffer()
    {
        const auto a = FieldKeyRing::generate();
        const auto b = FieldKeyRing::generate();
        QVERIFY(a && b);
        QCOMPARE(a->currentId(), 1u);
        QCOMPARE(a->key(1)->size(), FieldKeyRing::kKeySize);
        QVERIFY(a->key(1) != b->key(1));
    }
};

QTEST_APPLESS_MAIN(TstFieldCipher)
#include "tst_field_cipher.moc"
