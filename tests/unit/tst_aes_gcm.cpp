// AES-256-GCM against published known answers, and the primitive's refusals.
//
// Sources (values copied from the published documents, cross-checked against independent copies):
//  - D. McGrew, J. Viega, "The Galois/Counter Mode of Operation (GCM)", revised submission to NIST,
//    Appendix B, test cases 13-16 (the AES-256 cases with a 96-bit IV).
//  - NIST CAVP GCMVS response files (CAVS 14.0): gcmEncryptExtIV256.rsp and gcmDecrypt256.rsp, sections
//    [Keylen = 256] [IVlen = 96] [Taglen = 128]; section and Count are named in each row. gcmDecrypt256
//    rows marked FAIL in the file carry a tag that must be rejected.

#include "storage/aes_gcm.h"

#include <QTest>

using namespace odis::storage;

namespace {

// The error text of a failed Result, for QVERIFY2; empty (and never touching error()) on success.
template <typename R> QByteArray failure(const R& result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

QByteArray hex(const char* text)
{
    return QByteArray::fromHex(QByteArray(text));
}

QByteArray flipBit(QByteArray data, qsizetype byte, int bit = 0)
{
    data[byte] = static_cast<char>(data.at(byte) ^ (1 << bit));
    return data;
}

struct Vector
{
    const char* name;
    const char* key;
    const char* iv;
    const char* aad;
    const char* pt; // nullptr: the published result is FAIL
    const char* ct;
    const char* tag;
};

// clang-format off
const Vector kVectors[] = {
    {"McGrew-Viega test case 13",
     "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"McGrew-Viega test case 14",
     "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "", "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"McGrew-Viega test case 15",
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", "",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"McGrew-Viega test case 16",
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    {"gcmEncryptExtIV256 PTlen=0 AADlen=0 Count=0",
     "b52c505a37d78eda5dd34f20c22540ea1b58963cf8e5bf8ffa85f9f2492505b4", "516c33929df5a3284ff463d7",
     "", "", "", "bdc1ac884d332457a1d2664f168c76f0"},
    {"gcmEncryptExtIV256 PTlen=0 AADlen=128 Count=0",
     "78dc4e0aaf52d935c3c01eea57428f00ca1fd475f5da86a49c8dd73d68c8e223", "d79cf22d504cc793c3fb6c8a",
     "b96baa8c1c75a671bfb2d08d06be5f36", "", "", "3e5d486aa2e30b22e040b85723a06e76"},
    {"gcmEncryptExtIV256 PTlen=104 AADlen=0 Count=0",
     "82c4f12eeec3b2d3d157b0f992d292b237478d2cecc1d5f161389b97f999057a", "7b40b20f5f397177990ef2d1",
     "", "982a296ee1cd7086afad976945", "ec8e05a0471d6b43a59ca5335f", "113ddeafc62373cac2f5951bb9165249"},
    {"gcmEncryptExtIV256 PTlen=128 AADlen=0 Count=0",
     "31bdadd96698c204aa9ce1448ea94ae1fb4a9a0b3c9d773b51bb1822666b8f22", "0d18e06c7c725ac9e362e1ce",
     "", "2db5168e932556f8089a0622981d017d", "fa4362189661d163fcd6a56d8bf0405a",
     "d636ac1bbedd5cc3ee727dc2ab4a9489"},
    {"gcmEncryptExtIV256 PTlen=408 AADlen=160 Count=0",
     "24501ad384e473963d476edcfe08205237acfd49b5b8f33857f8114e863fec7f", "9ff18563b978ec281b3f2794",
     "adb5ec720ccf9898500028bf34afccbcaca126ef",
     "27f348f9cdc0c5bd5e66b1ccb63ad920ff2219d14e8d631b3872265cf117ee86757accb158bd9abb3868fdc0d0b074b5f01b2c",
     "eb7cb754c824e8d96f7c6d9b76c7d26fb874ffbf1d65c6f64a698d839b0b06145dae82057ad55994cf59ad7f67c0fa5e85fab8",
     "bc95c532fecc594c36d1550286a7a3f0"},
    {"gcmEncryptExtIV256 PTlen=408 AADlen=720 Count=0",
     "148579a3cbca86d5520d66c0ec71ca5f7e41ba78e56dc6eebd566fed547fe691", "b08a5ea1927499c6ecbfd4e0",
     "e4f963f015ffbb99ee3349bbaf7e8e8e6c2a71c230a48f9d59860a29091d2747e01a5ca572347e247d25f56ba7ae8e05cde2be3c"
     "97931292c02370208ecd097ef692687fecf2f419d3200162a6480a57dad408a0dfeb492e2c5d",
     "9d0b15fdf1bd595f91f8b3abc0f7dec927dfd4799935a1795d9ce00c9b879434420fe42c275a7cd7b39d638fb81ca52b49dc41",
     "2097e372950a5e9383c675e89eea1c314f999159f5611344b298cda45e62843716f215f82ee663919c64002a5c198d7878fd3f",
     "adbecdb0d5c2224d804d2886ff9a5760"},
    {"gcmDecrypt256 PTlen=128 AADlen=128 Count=0",
     "54e352ea1d84bfe64a1011096111fbe7668ad2203d902a01458c3bbd85bfce14", "df7c3bca00396d0c018495d9",
     "7e968d71b50c1f11fd001f3fef49d045", "85fc3dfad9b5a8d3258e4fc44571bd3b",
     "426e0efc693b7be1f3018db7ddbb7e4d", "ee8257795be6a1164d7e1d2d6cac77a7"},
    {"gcmDecrypt256 PTlen=128 AADlen=128 Count=2 (FAIL)",
     "9a0343f850a6427120f764789ffec6d237447b898fbf51d2182f065d3861497d", "3deef6f453dd70d92143adcd",
     "dbb8226a624520863db6897017b2a4f8", nullptr, "e93165935ac18e3a2845d15fe31a9286",
     "f5fc50d18766bc3d9e16dd136d45816b"},
    {"gcmDecrypt256 PTlen=128 AADlen=128 Count=3",
     "562a865ddc042577284b34b6cd267aa3e9adedf6b8a9e2490d5519eaea3daccc", "f20e5db286f3ee11835a5103",
     "c638e57814cd44f8af9730208f5464d5", "7e59320cc09d1ccfb49f7c90e81326dc",
     "ae62b52018c253be2463ff235cd3ff1d", "6e481954d30c503ce6d448fda4116578"},
    {"gcmDecrypt256 PTlen=128 AADlen=128 Count=4 (FAIL)",
     "2a765ceac97265c15209eea90bea85cd9586b972160502ff592a306dc017e6b9", "62c545d9d4e3c7acb66b4bf1",
     "7d12474e23dc233bc6312d4d5b2deee4", nullptr, "ae0594a7b66d3a958e4e6212d3288f91",
     "ec9aa846d185cc0f43d392240cd6e2c4"},
};
// clang-format on

void addVectorColumns()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("iv");
    QTest::addColumn<QByteArray>("aad");
    QTest::addColumn<QByteArray>("pt");
    QTest::addColumn<bool>("authentic");
    QTest::addColumn<QByteArray>("ct");
    QTest::addColumn<QByteArray>("tag");
}

void addVectorRows(bool includeFailures)
{
    for (const Vector& v : kVectors) {
        if (!v.pt && !includeFailures)
            continue;
        QTest::newRow(v.name) << hex(v.key) << hex(v.iv) << hex(v.aad) << (v.pt ? hex(v.pt) : QByteArray())
                              << (v.pt != nullptr) << hex(v.ct) << hex(v.tag);
    }
}

const QByteArray kKey = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
const QByteArray kNonce = hex("cafebabefacedbaddecaf888");

} // namespace

class TstAesGcm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encryptMatchesPublishedVector_data()
    {
        addVectorColumns();
        addVectorRows(false);
    }
    void encryptMatchesPublishedVector()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, iv);
        QFETCH(QByteArray, aad);
        QFETCH(QByteArray, pt);
        QFETCH(QByteArray, ct);
        QFETCH(QByteArray, tag);
        QCOMPARE(key.size(), aes_gcm::kKeySize);
        QCOMPARE(iv.size(), aes_gcm::kNonceSize);

        const auto sealed = aes_gcm::encrypt(key, iv, aad, pt);
        QVERIFY2(sealed.has_value(), failure(sealed).constData());
        QCOMPARE(sealed->ciphertext.toHex(), ct.toHex());
        QCOMPARE(sealed->tag.toHex(), tag.toHex());
    }

    void decryptMatchesPublishedVector_data()
    {
        addVectorColumns();
        addVectorRows(true);
    }
    void decryptMatchesPublishedVector()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, iv);
        QFETCH(QByteArray, aad);
        QFETCH(QByteArray, pt);
        QFETCH(bool, authentic);
        QFETCH(QByteArray, ct);
        QFETCH(QByteArray, tag);

        const auto opened = aes_gcm::decrypt(key, iv, aad, ct, tag);
        if (authentic) {
            QVERIFY2(opened.has_value(), failure(opened).constData());
            QCOMPARE(opened->toHex(), pt.toHex());
        } else {
            QVERIFY(!opened.has_value());
            QCOMPARE(opened.error().code, aes_gcm::error::kAuthFailed);
        }
    }

    // Any single changed bit of ciphertext, tag, AAD, nonce or key is refused.
    void tamperedInputIsRefused_data()
    {
        QTest::addColumn<QString>("part");
        QTest::addColumn<int>("byte");
        for (const char* part : {"ciphertext", "tag", "aad", "nonce", "key"}) {
            for (int byte : {0, 7, 11}) {
                const QString name = QStringLiteral("%1[%2]").arg(QLatin1String(part)).arg(byte);
                QTest::newRow(qPrintable(name)) << QString::fromLatin1(part) << byte;
            }
        }
    }
    void tamperedInputIsRefused()
    {
        QFETCH(QString, part);
        QFETCH(int, byte);
        QByteArray key = kKey;
        QByteArray nonce = kNonce;
        QByteArray aad = QByteArrayLiteral("purpose:diagnostics");
        const auto sealed = aes_gcm::encrypt(key, nonce, aad, QByteArrayLiteral("twelve bytes of text"));
        QVERIFY(sealed.has_value());
        QByteArray ct = sealed->ciphertext;
        QByteArray tag = sealed->tag;
        QVERIFY(aes_gcm::decrypt(key, nonce, aad, ct, tag).has_value());

        if (part == QLatin1String("ciphertext"))
            ct = flipBit(ct, byte, 3);
        else if (part == QLatin1String("tag"))
            tag = flipBit(tag, byte, 7);
        else if (part == QLatin1String("aad"))
            aad = flipBit(aad, byte, 0);
        else if (part == QLatin1String("nonce"))
            nonce = flipBit(nonce, byte, 1);
        else
            key = flipBit(key, byte, 5);
        const auto opened = aes_gcm::decrypt(key, nonce, aad, ct, tag);
        QVERIFY(!opened.has_value());
        QCOMPARE(opened.error().code, aes_gcm::error::kAuthFailed);
    }

    void wrongSizesAreTypedErrors_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("nonce");
        QTest::addColumn<QByteArray>("tag");
        QTest::addColumn<QString>("code");
        const QByteArray tag(16, '\0');
        QTest::newRow("AES-128 key") << kKey.first(16) << kNonce << tag << aes_gcm::error::kInvalidKey;
        QTest::newRow("33-byte key") << (kKey + '\0') << kNonce << tag << aes_gcm::error::kInvalidKey;
        QTest::newRow("empty key") << QByteArray() << kNonce << tag << aes_gcm::error::kInvalidKey;
        QTest::newRow("64-bit nonce") << kKey << kNonce.first(8) << tag << aes_gcm::error::kInvalidNonce;
        QTest::newRow("128-bit nonce") << kKey << (kNonce + "abcd") << tag << aes_gcm::error::kInvalidNonce;
        QTest::newRow("truncated tag") << kKey << kNonce << tag.first(12) << aes_gcm::error::kInvalidTag;
    }
    void wrongSizesAreTypedErrors()
    {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, nonce);
        QFETCH(QByteArray, tag);
        QFETCH(QString, code);
        const auto opened = aes_gcm::decrypt(key, nonce, {}, QByteArrayLiteral("x"), tag);
        QVERIFY(!opened.has_value());
        QCOMPARE(opened.error().code, code);
        if (code != aes_gcm::error::kInvalidTag) {
            const auto sealed = aes_gcm::encrypt(key, nonce, {}, QByteArrayLiteral("x"));
            QVERIFY(!sealed.has_value());
            QCOMPARE(sealed.error().code, code);
        }
    }

    // A blob of a few megabytes (a screenshot) round-trips and stays the same length.
    void largeBlobRoundTrips()
    {
        QByteArray big(3 * 1024 * 1024 + 5, Qt::Uninitialized);
        for (qsizetype i = 0; i < big.size(); ++i)
            big[i] = static_cast<char>((i * 131) & 0xff);
        const auto sealed = aes_gcm::encrypt(kKey, kNonce, {}, big);
        QVERIFY(sealed.has_value());
        QCOMPARE(sealed->ciphertext.size(), big.size());
        QVERIFY(sealed->ciphertext != big);
        const auto opened = aes_gcm::decrypt(kKey, kNonce, {}, sealed->ciphertext, sealed->tag);
        QVERIFY(opened.has_value());
        QVERIFY(*opened == big);
    }
};

QTEST_APPLESS_MAIN(TstAesGcm)
#include "tst_aes_gcm.moc"
