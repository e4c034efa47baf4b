// A plugin of the `acme:plugins` application (examples/plugins/wit), written
// in JavaScript and built with componentize-js by tests/support/plugins.py.
// It does what ../plugin_py/app.py does, in jco's value forms: u64 is BigInt,
// records are objects, variants are `{ tag, val }`, flags are objects of
// booleans, enums are strings, an option is the value or `undefined`.

import * as host from 'acme:plugins/host@0.1.0';

const NAME = 'js-upper';

class Session {
  constructor(user) {
    this.user = user;
    this.kept = 0;
    this.store = new host.KvStore(`session:${user}`);
    host.log('info', `session opened for ${user}`);
  }
  add(doc) {
    this.store.set(doc.title, doc.body);
    this.kept += 1;
    return this.kept;
  }
  lookup(title) {
    return this.store.get(title);
  }
  note(level, message) {
    host.log(level, `${this.user}: ${message}`);
  }
  crash() {
    throw new Error(`session of ${this.user} crashed on purpose`);
  }
}

export const plugin = {
  Session,
  describe() {
    return [NAME, { transform: true, review: true, sessions: true }];
  },
  transform(doc) {
    return { title: doc.title.toUpperCase(), body: doc.body, tags: [...doc.tags, NAME] };
  },
  review(doc) {
    if (!doc.title) return { tag: 'skipped' };
    if (doc.tags.length === 0) {
      host.log('warning', `${NAME}: rejected '${doc.title}': no tags`);
      return { tag: 'rejected', val: 'no tags' };
    }
    return { tag: 'accepted', val: { title: doc.title, body: doc.body.trim(), tags: doc.tags } };
  },
  stats(docs) {
    const enc = new TextEncoder();
    let bytes = 0n;
    for (const d of docs) bytes += BigInt(enc.encode(d.body).length);
    return [docs.length, bytes];
  },
  spin(rounds) {
    let i = 0n;
    while (rounds === 0n || i < rounds) i += 1n;
    return i;
  },
};
