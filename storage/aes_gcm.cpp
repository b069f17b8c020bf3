#include "storage/aes_gcm.h"

#include <algorithm>
#include <memory>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace odis::storage::aes_gcm {

namespace {

struct CipherCtxFree
{
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// EVP takes int lengths; QByteArray can be larger, so long inputs are fed in slices.
constexpr qsizetype kMaxSlice = qsizetype{1} << 30;

const unsigned char* bytes(const QByteArray& a)
{
    return reinterpret_cast<const unsigned char*>(a.constData());
}

Error cryptoFailed(const char* step)
{
    return Error{error::kCryptoFailed,
                 QStringLiteral("OpenSSL AES-256-GCM failed at %1").arg(QLatin1String(step))};
}

[[nodiscard]] Status checkSizes(const QByteArray& key, const QByteArray& nonce)
{
    if (key.size() != kKeySize)
        return fail(
            error::kInvalidKey,
            QStringLiteral("AES-256-GCM needs a %1-byte key, got %2 bytes").arg(kKeySize).arg(key.size()));
    if (nonce.size() != kNonceSize)
        return fail(error::kInvalidNonce, QStringLiteral("AES-256-GCM needs a %1-byte nonce, got %2 bytes")
                                              .arg(kNonceSize)
                                              .arg(nonce.size()));
    return ok();
}

// Starts an encryption (encrypting = 1) or decryption (0) context with the key and nonce.
[[nodiscard]] Result<CipherCtx> start(int encrypting, const QByteArray& key, const QByteArray& nonce)
{
    CipherCtx ctx(EVP_CIPHER_CTX_new());
    if (!ctx)
        return std::unexpected(cryptoFailed("context allocation"));
    if (EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypting) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceSize), nullptr) != 1 ||
        EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce), encrypting) != 1)
        return std::unexpected(cryptoFailed("initialisation"));
    return ctx;
}

// Feeds AAD (out == nullptr) or data through the context; GCM is a stream mode, so output length
// equals input length.
[[nodiscard]] Status update(EVP_CIPHER_CTX* ctx, const QByteArray& in, unsigned char* out)
{
    for (qsizetype offset = 0; offset < in.size();) {
        const qsizetype slice = std::min(kMaxSlice, in.size() - offset);
        int written = 0;
        if (EVP_CipherUpdate(ctx, out ? out + offset : nullptr, &written, bytes(in) + offset,
                             static_cast<int>(slice)) != 1)
            return std::unexpected(cryptoFailed(out ? "data" : "associated data"));
        offset += slice;
    }
    return ok();
}

} // namespace

Result<Sealed> encrypt(const QByteArray& key, const QByteArray& nonce, const QByteArray& aad,
                       const QByteArray& plaintext)
{
    if (auto sizes = checkSizes(key, nonce); !sizes)
        return propagate(sizes);
    auto ctx = start(1, key, nonce);
    if (!ctx)
        return propagate(ctx);

    Sealed sealed{QByteArray(plaintext.size(), Qt::Uninitialized), QByteArray(kTagSize, Qt::Uninitialized)};
    auto* out = reinterpret_cast<unsigned char*>(sealed.ciphertext.data());
    if (auto s = update(ctx->get(), aad, nullptr); !s)
        return propagate(s);
    if (auto s = update(ctx->get(), plaintext, out); !s)
        return propagate(s);
    int finalBytes = 0;
    if (EVP_EncryptFinal_ex(ctx->get(), out + plaintext.size(), &finalBytes) != 1 || finalBytes != 0)
        return std::unexpected(cryptoFailed("finalisation"));
    if (EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize),
                            sealed.tag.data()) != 1)
        return std::unexpected(cryptoFailed("tag computation"));
    return sealed;
}

Result<QByteArray> decrypt(const QByteArray& key, const QByteArray& nonce, const QByteArray& aad,
                           const QByteArray& ciphertext, const QByteArray& tag)
{
    if (auto sizes = checkSizes(key, nonce); !sizes)
        return propagate(sizes);
    if (tag.size() != kTagSize)
        return fail(
            error::kInvalidTag,
            QStringLiteral("AES-256-GCM needs a %1-byte tag, got %2 bytes").arg(kTagSize).arg(tag.size()));
    auto ctx = start(0, key, nonce);
    if (!ctx)
        return propagate(ctx);

    QByteArray plaintext(ciphertext.size(), Qt::Uninitialized);
    auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
    const auto wipe = [&plaintext] {
        OPENSSL_cleanse(plaintext.data(), static_cast<size_t>(plaintext.size()));
    };
    if (auto s = update(ctx->get(), aad, nullptr); !s)
        return propagate(s);
    if (auto s = update(ctx->get(), ciphertext, out); !s) {
        wipe();
        return propagate(s);
    }
    // EVP_CTRL_GCM_SET_TAG takes a non-const pointer but only reads the expected tag.
    QByteArray expected = tag;
    if (EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), expected.data()) !=
        1) {
        wipe();
        return std::unexpected(cryptoFailed("tag setup"));
    }
    int finalBytes = 0;
    // The tag comparison happens here, inside EVP, in constant time.
    if (EVP_DecryptFinal_ex(ctx->get(), out + ciphertext.size(), &finalBytes) != 1) {
        wipe();
        return fail(error::kAuthFailed,
                    QStringLiteral("AES-256-GCM authentication failed: wrong key, or the data was changed"));
    }
    return plaintext;
}

} // namespace odis::storage::aes_gcm
