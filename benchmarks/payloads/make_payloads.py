#!/usr/bin/env python3
"""Builds the Stripe event bodies the verify+parse benchmark reads (benchmarks/src/main/resources/payloads).

The objects come from Stripe's own OpenAPI fixtures (github.com/stripe/openapi, openapi/fixtures3.json) at
the commits listed in FIXTURES, one per API version, so each event has the shape Stripe rendered for that
version. They are placed in event envelopes the way Stripe sends them: pretty-printed with two spaces,
UTF-8 written as is, `id` and `object` first and the other members in alphabetical order, a list's `object`
and `data` first. Fixture placeholders are replaced with plausible values (timestamps, statuses, amounts,
ids) and lists are filled to reach realistic sizes (invoice lines, subscription items, refunds).

    git -C <stripe/openapi checkout> show <commit>:openapi/fixtures3.json > fixtures-<commit>.json
    python3 make_payloads.py <directory holding the fixtures-<commit>.json files> <output directory>

Deterministic: the same fixtures give byte-identical output.
"""
import copy
import json
import random
import sys
from pathlib import Path

# API version -> openapi commit whose fixtures3.json was generated for it.
FIXTURES = {
    "2015-10-16": "d4cc022d",  # the oldest shapes in the repository (2018); request as a bare string
    "2018-02-05": "d4cc022d",
    "2019-05-16": "27582d0b",
    "2020-08-27": "dd1cdfcd",
    "2022-11-15": "79e5f5f4",
    "2024-06-20": "f7bafae7",
    "2026-07-29.dahlia": "f6c2a48f",  # stripe-java 33.3.0's version
}

rnd = random.Random(20261201)
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ACCOUNT = "51Qx7KpLkdIwHu7ix"  # the account part Stripe embeds in ids
T0 = 1764590400  # 2025-12-01T12:00:00Z


def sid(prefix, n=14):
    return prefix + "_1" + ACCOUNT[:8] + "".join(rnd.choice(ALNUM) for _ in range(n))


def ts(offset=0):
    return T0 + offset


def order(value):
    """Stripe's member order: id and object first, the rest alphabetical; lists: object, data, has_more, url."""
    if isinstance(value, list):
        return [order(v) for v in value]
    if not isinstance(value, dict):
        return value
    if value.get("object") == "list":
        first = ["object", "data"]
    else:
        first = ["id", "object"]
    keys = [k for k in first if k in value] + sorted(k for k in value if k not in first)
    return {k: order(value[k]) for k in keys}


def placeholders(value, offset=[0]):
    """Fixture timestamps (1234567890) become plausible ones; the fixture filler's strings lose their echo."""
    if isinstance(value, list):
        return [placeholders(v) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if v == 1234567890:
                offset[0] += 1
                v = ts(offset[0])
            elif isinstance(v, str) and v == k and k not in ("type",):
                v = None
            out[k] = placeholders(v)
        return out
    return value


def event(api_version, etype, obj, previous=None, request_style="object", pending=1):
    data = {"object": obj}
    if previous is not None:
        data["previous_attributes"] = previous
    if request_style == "string":
        request = sid("req", 12)
    else:
        request = {"id": sid("req", 12), "idempotency_key": "%08x-%04x-4%03x-a%03x-%012x" % (
            rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(12), rnd.getrandbits(12), rnd.getrandbits(48))}
    e = {
        "id": sid("evt", 16),
        "object": "event",
        "api_version": api_version,
        "created": ts(3600),
        "data": data,
        "livemode": True,
        "pending_webhooks": pending,
        "request": request,
        "type": etype,
    }
    return order(e)


def load(fixtures_dir, version):
    path = Path(fixtures_dir) / ("fixtures-%s.json" % FIXTURES[version])
    return json.loads(path.read_text())["resources"]


def resource(fx, name):
    return placeholders(copy.deepcopy(fx[name]))


# ------------------------------------------------------------------ builders


def customer_created(fx, version):
    c = resource(fx, "customer")
    c.update({"id": sid("cus"), "created": ts(), "email": "jenny.rosen@example.com", "livemode": True,
              "description": "Jenny Rosen", "metadata": {"user_id": "u_58213"}})
    for k in ("sources", "subscriptions", "tax_ids"):
        if isinstance(c.get(k), dict):
            c[k]["url"] = "/v1/customers/%s/%s" % (c["id"], k)
    return event(version, "customer.created", c)


def charge(fx, version, pi=None, customer=None):
    ch = resource(fx, "charge")
    ch.update({"id": sid("ch", 18), "amount": 4999, "captured": True, "paid": True, "status": "succeeded",
               "created": ts(10), "currency": "eur", "livemode": True,
               "description": "Order ord_1001", "metadata": {"order_id": "ord_1001"}})
    if "amount_captured" in ch:
        ch["amount_captured"] = 4999
    if "balance_transaction" in ch:
        ch["balance_transaction"] = sid("txn", 18)
    if "payment_intent" in ch:
        ch["payment_intent"] = pi
    if "customer" in ch:
        ch["customer"] = customer
    if "receipt_url" in ch:
        ch["receipt_url"] = "https://pay.stripe.com/receipts/payment/" + "".join(rnd.choice(ALNUM) for _ in range(96))
    if "refunds" in ch:
        ch["refunds"]["url"] = "/v1/charges/%s/refunds" % ch["id"]
    if isinstance(ch.get("source"), dict):
        ch["source"]["id"] = sid("card", 18)
    return ch


def charge_succeeded(fx, version, request_style="object"):
    return event(version, "charge.succeeded", charge(fx, version, pi=sid("pi", 18), customer=sid("cus")),
                 request_style=request_style)


def charge_refunded(fx, version, refunds=2):
    ch = charge(fx, version, pi=sid("pi", 18), customer=sid("cus"))
    ch["amount_refunded"] = 4999
    ch["refunded"] = True
    items = []
    for i in range(refunds):
        r = resource(fx, "refund")
        r.update({"id": sid("re", 18), "amount": 2500 if i == 0 else 2499, "charge": ch["id"], "currency": "eur",
                  "created": ts(100 + i), "status": "succeeded", "reason": "requested_by_customer",
                  "payment_intent": ch.get("payment_intent"), "balance_transaction": sid("txn", 18),
                  "metadata": {"support_ticket": "T-%d" % (4410 + i)}})
        items.append(r)
    ch["refunds"] = {"object": "list", "data": items, "has_more": False, "total_count": len(items),
                     "url": "/v1/charges/%s/refunds" % ch["id"]}
    return event(version, "charge.refunded", ch, previous={"amount_refunded": 0, "refunded": False})


def payment_intent_succeeded(fx, version, embed_charges=False):
    pi = resource(fx, "payment_intent")
    pid = sid("pi", 18)
    cus = sid("cus")
    pi.update({"id": pid, "amount": 4999, "amount_received": 4999, "currency": "eur", "status": "succeeded",
               "created": ts(), "canceled_at": None, "customer": cus, "livemode": True,
               "description": "Order ord_1001", "metadata": {"order_id": "ord_1001", "cart_id": "cart_77120"},
               "payment_method": sid("pm", 18), "last_payment_error": None, "next_action": None,
               "client_secret": pid + "_secret_" + "".join(rnd.choice(ALNUM) for _ in range(25)),
               "receipt_email": "jenny.rosen@example.com"})
    for k in ("processing", "transfer_data", "shipping"):
        if k in pi:
            pi[k] = None
    if "latest_charge" in pi:
        pi["latest_charge"] = sid("ch", 18)
    if "payment_method_options" in pi:
        pi["payment_method_options"] = {"card": {"installments": None, "mandate_options": None, "network": None,
                                                 "request_three_d_secure": "automatic"}}
    if embed_charges:
        ch = charge(fx, version, pi=pid, customer=cus)
        pi["charges"] = {"object": "list", "data": [ch], "has_more": False, "total_count": 1,
                         "url": "/v1/charges?payment_intent=" + pid}
    return event(version, "payment_intent.succeeded", pi)


def checkout_session_completed(fx, version):
    cs = resource(fx, "checkout.session")
    cs.update({"id": "cs_live_" + "".join(rnd.choice(ALNUM) for _ in range(58)), "amount_subtotal": 4999,
               "amount_total": 4999, "currency": "eur", "customer": sid("cus"), "livemode": True,
               "payment_intent": sid("pi", 18), "payment_status": "paid", "status": "complete",
               "client_reference_id": "ord_1001", "metadata": {"order_id": "ord_1001"},
               "success_url": "https://shop.example.com/orders/ord_1001/thanks",
               "cancel_url": "https://shop.example.com/cart", "url": None})
    if isinstance(cs.get("customer_details"), dict):
        cs["customer_details"].update({"email": "jenny.rosen@example.com", "name": "Jenny Rosen"})
        if isinstance(cs["customer_details"].get("address"), dict):
            cs["customer_details"]["address"].update({"city": "Berlin", "country": "DE", "line1": "Torstraße 1",
                                                      "postal_code": "10119"})
    if isinstance(cs.get("total_details"), dict):
        cs["total_details"] = {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 798}
    if isinstance(cs.get("shipping_cost"), dict):
        cs["shipping_cost"] = None
    if isinstance(cs.get("currency_conversion"), dict):
        cs["currency_conversion"] = None
    return event(version, "checkout.session.completed", cs)


def price(fx, n):
    if "price" not in fx:
        return None
    p = resource(fx, "price")
    p.update({"id": sid("price", 14), "product": sid("prod", 10), "unit_amount": 1200 + 100 * n,
              "unit_amount_decimal": str(1200 + 100 * n), "currency": "eur", "livemode": True,
              "nickname": "Seat tier %d" % n, "lookup_key": "seat_%d" % n})
    return p


def plan(fx, n, pr=None):
    p = resource(fx, "plan")
    p.update({"id": pr["id"] if pr else "seat-%d" % n, "amount": 1200 + 100 * n, "currency": "eur",
              "product": pr["product"] if pr else sid("prod", 10), "livemode": True,
              "nickname": "Seat tier %d" % n, "interval": "month", "interval_count": 1})
    if "amount_decimal" in p:
        p["amount_decimal"] = str(1200 + 100 * n)
    if "billing_scheme" in p:
        p["billing_scheme"] = "per_unit"
    return p


def subscription_updated(fx, version, items):
    sub = resource(fx, "subscription")
    sub_id = sid("sub", 14)
    template = fx.get("subscription_item") or sub["items"]["data"][0]
    data = []
    for n in range(items):
        si = placeholders(copy.deepcopy(template))
        pr = price(fx, n)
        si.update({"id": sid("si", 10), "subscription": sub_id, "quantity": 1 + n, "created": ts(n),
                   "metadata": {"seat_group": "team-%d" % n}})
        if "price" in si or pr is not None:
            si["price"] = pr
        si["plan"] = plan(fx, n, pr)
        for k in ("current_period_end", "current_period_start"):
            if k in si:
                si[k] = ts(2592000 if k.endswith("end") else 0)
        data.append(si)
    sub["items"] = {"object": "list", "data": data, "has_more": False, "total_count": len(data),
                    "url": "/v1/subscription_items?subscription=" + sub_id}
    sub.update({"id": sub_id, "customer": sid("cus"), "status": "active", "livemode": True,
                "cancel_at": None, "canceled_at": None, "ended_at": None, "trial_end": None, "trial_start": None,
                "metadata": {"account_id": "acc_3310"}, "latest_invoice": sid("in", 18)})
    if "pending_update" in sub:
        sub["pending_update"] = None
    if "plan" in sub:
        sub["plan"] = data[0]["plan"]
        sub["quantity"] = 1
    previous = {"items": {"object": "list", "data": [dict(data[0], quantity=1)], "has_more": False,
                          "total_count": 1, "url": sub["items"]["url"]}}
    return event(version, "customer.subscription.updated", sub, previous=previous)


def invoice_paid(fx, version, etype, lines):
    inv = resource(fx, "invoice")
    inv_id = sid("in", 18)
    sub_id = sid("sub", 14)
    template = inv["lines"]["data"][0]
    data = []
    total = 0
    for n in range(lines):
        li = placeholders(copy.deepcopy(template))
        amount = 1200 + 100 * (n % 7)
        total += amount
        li.update({"id": sid("il", 18), "amount": amount, "currency": "eur", "livemode": True,
                   "description": "1 × Seat tier %d (at €%d.00 / month)" % (n % 7, amount // 100),
                   "period": {"end": ts(2592000), "start": ts()}, "metadata": {"seat": "seat_%d" % n}})
        for k in ("invoice",):
            if k in li:
                li[k] = inv_id
        if "subscription" in li:
            li["subscription"] = sub_id
        if "plan" in li and li["plan"] is not None:
            li["plan"] = plan(fx, n % 7)
        if "price" in li and li["price"] is not None:
            li["price"] = price(fx, n % 7)
        data.append(li)
    inv["lines"] = {"object": "list", "data": data, "has_more": False, "total_count": len(data),
                    "url": "/v1/invoices/%s/lines" % inv_id}
    inv.update({"id": inv_id, "customer": sid("cus"), "customer_email": "billing@example.com",
                "customer_name": "Example GmbH", "currency": "eur", "livemode": True, "status": "paid",
                "amount_due": total, "amount_paid": total, "amount_remaining": 0, "subtotal": total, "total": total,
                "attempt_count": 1, "attempted": True, "billing_reason": "subscription_cycle",
                "number": "EXMPL-%04d" % (lines * 7), "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1"
                + ACCOUNT[:8] + "/live_" + "".join(rnd.choice(ALNUM) for _ in range(120)),
                "invoice_pdf": "https://pay.stripe.com/invoice/acct_1" + ACCOUNT[:8] + "/live_"
                + "".join(rnd.choice(ALNUM) for _ in range(120)) + "/pdf?s=ap"})
    for k in ("subtotal_excluding_tax", "total_excluding_tax"):
        if k in inv:
            inv[k] = total
    for k in ("shipping_cost", "last_finalization_error", "from_invoice"):
        if k in inv:
            inv[k] = None
    if "paid" in inv:
        inv["paid"] = True
    if "subscription" in inv:
        inv["subscription"] = sub_id
    if "charge" in inv:
        inv["charge"] = sid("ch", 18)
    if "payment_intent" in inv:
        inv["payment_intent"] = sid("pi", 18)
    return event(version, etype, inv)


def build(fixtures_dir):
    fx = {v: load(fixtures_dir, v) for v in FIXTURES}
    now = "2026-07-29.dahlia"
    return {
        "customer.created-2018-02-05": customer_created(fx["2018-02-05"], "2018-02-05"),
        "charge.succeeded-2015-10-16": charge_succeeded(fx["2015-10-16"], "2015-10-16", request_style="string"),
        "payment_intent.succeeded-" + now: payment_intent_succeeded(fx[now], now),
        "checkout.session.completed-2022-11-15": checkout_session_completed(fx["2022-11-15"], "2022-11-15"),
        "payment_intent.succeeded-2020-08-27": payment_intent_succeeded(fx["2020-08-27"], "2020-08-27",
                                                                         embed_charges=True),
        "charge.succeeded-" + now: charge_succeeded(fx[now], now),
        "checkout.session.completed-" + now: checkout_session_completed(fx[now], now),
        "charge.refunded-2024-06-20": charge_refunded(fx["2024-06-20"], "2024-06-20", refunds=3),
        "customer.subscription.updated-2020-08-27": subscription_updated(fx["2020-08-27"], "2020-08-27", 3),
        "invoice.paid-2024-06-20": invoice_paid(fx["2024-06-20"], "2024-06-20", "invoice.paid", 4),
        "customer.subscription.updated-" + now: subscription_updated(fx[now], now, 4),
        "invoice.payment_succeeded-2019-05-16": invoice_paid(fx["2019-05-16"], "2019-05-16",
                                                              "invoice.payment_succeeded", 14),
        "invoice.paid-" + now: invoice_paid(fx[now], now, "invoice.paid", 14),
    }


def main():
    fixtures_dir, out_dir = sys.argv[1], Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    names = []
    for name, body in build(fixtures_dir).items():
        text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
        (out_dir / (name + ".json")).write_text(text, encoding="utf-8")
        names.append((len(text.encode("utf-8")), name))
    names.sort()
    (out_dir / "index.txt").write_text("".join(n + "\n" for _, n in names))
    for size, name in names:
        print("%6d  %s" % (size, name))


if __name__ == "__main__":
    main()
