import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { webhookSecretSchema } from "./destinations/config";
import { generateWebhookSecret, signWebhook, webhookSecretKey, webhookSignatureHeaders } from "./standard-webhooks";

describe("Standard Webhooks signing", () => {
  it("matches the spec's published test vector", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    expect(signWebhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}')).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    const headers = webhookSignatureHeaders({ id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: new Date(1614265330_999), body: Buffer.from('{"test": 2432232314}'), secrets: [secret] });
    expect(headers).toEqual({
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
  });

  it("is verified by the independent standardwebhooks package, and a changed body, id or time is not", () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify([{ id: "0193e0a4-0000-7000-8000-000000000001", seq: 1, action: "document.shared", note: "ünïcødé" }]);
    const headers = webhookSignatureHeaders({ id: "msg_a_1_1", timestamp: new Date(), body: Buffer.from(body), secrets: [secret] });
    const verifier = new Webhook(secret);
    expect(verifier.verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => verifier.verify(body.replace("shared", "deleted"), headers)).toThrow(WebhookVerificationError);
    expect(() => verifier.verify(body, { ...headers, "webhook-id": "msg_a_1_2" })).toThrow(/No matching signature/);
    expect(() => verifier.verify(body, { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) + 1) })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow(/No matching signature/);
  });

  it("signs with both secrets during a rotation, each verifying on its own", () => {
    const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()];
    const body = "[]";
    const headers = webhookSignatureHeaders({ id: "msg_rotation", timestamp: new Date(), body, secrets: [newSecret, oldSecret] });
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual([]);
    expect(new Webhook(newSecret).verify(body, headers)).toEqual([]);
    expect(() => webhookSignatureHeaders({ id: "msg_x", timestamp: new Date(), body, secrets: [] })).toThrow(/at least one/);
    expect(() => webhookSignatureHeaders({ id: "msg x", timestamp: new Date(), body, secrets: [newSecret] })).toThrow(/printable ASCII/);
  });

  it("generates whsec_ secrets of 32 random bytes and checks secrets", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhookSecretKey(secret)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(webhookSecretSchema.safeParse(secret).success).toBe(true);
    expect(webhookSecretSchema.safeParse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").success).toBe(true);
    for (const bad of ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_c2hvcnQ=", "whsec_not base64!", `whsec_${Buffer.alloc(65).toString("base64")}`]) {
      expect(webhookSecretSchema.safeParse(bad).success, bad).toBe(false);
      expect(() => signWebhook(bad, "msg", 1, "{}")).toThrow(/not a Standard Webhooks secret/);
    }
  });
});
