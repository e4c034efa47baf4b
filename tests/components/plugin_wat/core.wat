;; Hand-written core module of a plugin for the `plugin-world` world of the
;; acme application (examples/plugins/wit), following wit-component's names
;; and the Canonical ABI. It does what the Python and JavaScript plugins
;; (../plugin_py, ../plugin_js) do, and imports nothing but the world's
;; `host` interface: no WASI.
;;
;; Memory layout:
;;   16     "wat-upper"                the plugin's name, and the tag transform adds
;;   32     "no tags"                  review's reason for a rejection
;;   48     "session:"                 the prefix of a session's kv-store name
;;   64     the return area: one per call, at most 28 bytes (an outcome)
;;   96     "session opened for "
;;   128    "wat-upper: rejected '"
;;   160    "': no tags"
;;   176    ": "
;;   1024   session cells, 16 bytes each: kv-store handle, documents kept,
;;          user name (pointer, length); a freed cell holds the next free
;;          cell (free list)
;;   16384  user names, copied once per session and never reclaimed (a
;;          session is cheap, not free: 48 KiB of names, then a trap)
;;   65536  the heap: a bump allocator for cabi_realloc, reset by post-return
(module
  (import "acme:plugins/host@0.1.0" "log"
    (func $log (param i32 i32 i32)))
  (import "acme:plugins/host@0.1.0" "[constructor]kv-store"
    (func $kv_new (param i32 i32) (result i32)))
  ;; option<string> is 3 flat results: written where the last parameter points.
  (import "acme:plugins/host@0.1.0" "[method]kv-store.get"
    (func $kv_get (param i32 i32 i32 i32)))
  (import "acme:plugins/host@0.1.0" "[method]kv-store.set"
    (func $kv_set (param i32 i32 i32 i32 i32)))
  (import "acme:plugins/host@0.1.0" "[resource-drop]kv-store"
    (func $kv_drop (param i32)))
  (import "[export]acme:plugins/plugin@0.1.0" "[resource-new]session"
    (func $session_new (param i32) (result i32)))

  (memory (export "memory") 2)
  (data (i32.const 16) "wat-upper")
  (data (i32.const 32) "no tags")
  (data (i32.const 48) "session:")
  (data (i32.const 96) "session opened for ")
  (data (i32.const 128) "wat-upper: rejected '")
  (data (i32.const 160) "': no tags")
  (data (i32.const 176) ": ")

  (global $heap (mut i32) (i32.const 65536))
  (global $free (mut i32) (i32.const 0))
  (global $next_cell (mut i32) (i32.const 1024))
  (global $names (mut i32) (i32.const 16384))

  ;; Bump allocation. A realloc of an existing block always moves and copies
  ;; min(old, new) bytes: wasmtime may shrink a block with a second call.
  (func $realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
    (result i32)
    (local $ptr i32) (local $end i32)
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $ptr) (local.get $new_size)))
    (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))
    (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
      (then
        (if (i32.eq
              (memory.grow
                (i32.sub
                  (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                  (memory.size)))
              (i32.const -1))
          (then unreachable))))
    (global.set $heap (local.get $end))
    (if (local.get $old)
      (then
        (memory.copy (local.get $ptr) (local.get $old)
          (select (local.get $old_size) (local.get $new_size)
            (i32.lt_u (local.get $old_size) (local.get $new_size))))))
    (local.get $ptr))

  (func $alloc (param $size i32) (result i32)
    (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (local.get $size)))

  ;; Copies `len` bytes from `src` to `dst`; returns the end of the copy.
  (func $append (param $dst i32) (param $src i32) (param $len i32) (result i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $len))
    (i32.add (local.get $dst) (local.get $len)))

  ;; Post-return: everything the call allocated is dead once the host has
  ;; lifted the results (and the host copied what it keeps).
  (func $post (param i32) (global.set $heap (i32.const 65536)))
  (func $post0 (global.set $heap (i32.const 65536)))
  (export "cabi_post_acme:plugins/plugin@0.1.0#describe" (func $post))
  (export "cabi_post_acme:plugins/plugin@0.1.0#transform" (func $post))
  (export "cabi_post_acme:plugins/plugin@0.1.0#review" (func $post))
  (export "cabi_post_acme:plugins/plugin@0.1.0#stats" (func $post))
  (export "cabi_post_acme:plugins/plugin@0.1.0#[constructor]session" (func $post))
  (export "cabi_post_acme:plugins/plugin@0.1.0#[method]session.add" (func $post))
  (export "cabi_post_acme:plugins/plugin@0.1.0#[method]session.lookup" (func $post))
  (export "cabi_post_acme:plugins/plugin@0.1.0#[method]session.note" (func $post0))

  ;; describe: tuple<string, capabilities>: in memory the string at 0 (ptr,
  ;; len), the flags (one byte) at 8.
  (func (export "acme:plugins/plugin@0.1.0#describe") (result i32)
    (i32.store offset=0 (i32.const 64) (i32.const 16))
    (i32.store offset=4 (i32.const 64) (i32.const 9))
    (i32.store8 offset=8 (i32.const 64) (i32.const 7))  ;; transform | review | sessions
    (i32.const 64))

  ;; A document flattens to six i32s (title, body, tags: each a pointer and a
  ;; length); in memory the same six at 0, 4, ..., 20. A list<string> element
  ;; is 8 bytes (pointer, length).

  ;; transform: the title upper-cased (ASCII), the body as it is, the tags
  ;; with "wat-upper" appended.
  (func (export "acme:plugins/plugin@0.1.0#transform")
    (param $tp i32) (param $tl i32) (param $bp i32) (param $bl i32)
    (param $gp i32) (param $gl i32) (result i32)
    (local $title i32) (local $i i32) (local $c i32) (local $tags i32)
    (local.set $title (call $alloc (local.get $tl)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $tl)))
        (local.set $c (i32.load8_u (i32.add (local.get $tp) (local.get $i))))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 97))
                     (i32.le_u (local.get $c) (i32.const 122)))
          (then (local.set $c (i32.sub (local.get $c) (i32.const 32)))))
        (i32.store8 (i32.add (local.get $title) (local.get $i)) (local.get $c))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.set $tags
      (call $alloc (i32.shl (i32.add (local.get $gl) (i32.const 1)) (i32.const 3))))
    (memory.copy (local.get $tags) (local.get $gp) (i32.shl (local.get $gl) (i32.const 3)))
    (i32.store offset=0
      (i32.add (local.get $tags) (i32.shl (local.get $gl) (i32.const 3))) (i32.const 16))
    (i32.store offset=4
      (i32.add (local.get $tags) (i32.shl (local.get $gl) (i32.const 3))) (i32.const 9))
    (i32.store offset=0 (i32.const 64) (local.get $title))
    (i32.store offset=4 (i32.const 64) (local.get $tl))
    (i32.store offset=8 (i32.const 64) (local.get $bp))
    (i32.store offset=12 (i32.const 64) (local.get $bl))
    (i32.store offset=16 (i32.const 64) (local.get $tags))
    (i32.store offset=20 (i32.const 64) (i32.add (local.get $gl) (i32.const 1)))
    (i32.const 64))

  (func $is_space (param $c i32) (result i32)
    (i32.or (i32.eq (local.get $c) (i32.const 32))
            (i32.and (i32.ge_u (local.get $c) (i32.const 9))
                     (i32.le_u (local.get $c) (i32.const 13)))))

  ;; review -> outcome: in memory the case (one byte) at 0, the payload at 4
  ;; (a document, or a string). No title: skipped (2). No tags: rejected (1)
  ;; with "no tags", logged at warning. Else accepted (0): the document with
  ;; its body's leading and trailing ASCII whitespace removed.
  (func (export "acme:plugins/plugin@0.1.0#review")
    (param $tp i32) (param $tl i32) (param $bp i32) (param $bl i32)
    (param $gp i32) (param $gl i32) (result i32)
    (local $msg i32) (local $end i32)
    (if (i32.eqz (local.get $tl))
      (then
        (i32.store8 (i32.const 64) (i32.const 2))
        (return (i32.const 64))))
    (if (i32.eqz (local.get $gl))
      (then
        ;; "wat-upper: rejected '<title>': no tags"
        (local.set $msg (call $alloc (i32.add (local.get $tl) (i32.const 31))))
        (local.set $end (call $append (local.get $msg) (i32.const 128) (i32.const 21)))
        (local.set $end (call $append (local.get $end) (local.get $tp) (local.get $tl)))
        (local.set $end (call $append (local.get $end) (i32.const 160) (i32.const 10)))
        (call $log (i32.const 2) (local.get $msg) (i32.sub (local.get $end) (local.get $msg)))
        (i32.store8 (i32.const 64) (i32.const 1))
        (i32.store offset=4 (i32.const 64) (i32.const 32))
        (i32.store offset=8 (i32.const 64) (i32.const 7))
        (return (i32.const 64))))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $bl)))
        (br_if $done (i32.eqz (call $is_space (i32.load8_u (local.get $bp)))))
        (local.set $bp (i32.add (local.get $bp) (i32.const 1)))
        (local.set $bl (i32.sub (local.get $bl) (i32.const 1)))
        (br $next)))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $bl)))
        (br_if $done (i32.eqz (call $is_space
          (i32.load8_u (i32.sub (i32.add (local.get $bp) (local.get $bl)) (i32.const 1))))))
        (local.set $bl (i32.sub (local.get $bl) (i32.const 1)))
        (br $next)))
    (i32.store8 (i32.const 64) (i32.const 0))
    (i32.store offset=4 (i32.const 64) (local.get $tp))
    (i32.store offset=8 (i32.const 64) (local.get $tl))
    (i32.store offset=12 (i32.const 64) (local.get $bp))
    (i32.store offset=16 (i32.const 64) (local.get $bl))
    (i32.store offset=20 (i32.const 64) (local.get $gp))
    (i32.store offset=24 (i32.const 64) (local.get $gl))
    (i32.const 64))

  ;; stats(list<document>) -> tuple<u32, u64>: in memory the count at 0, the
  ;; bytes at 8. A document in a list is 24 bytes, its body's length at 12.
  (func (export "acme:plugins/plugin@0.1.0#stats")
    (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $bytes i64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $bytes
          (i64.add (local.get $bytes)
            (i64.extend_i32_u
              (i32.load offset=12
                (i32.add (local.get $ptr) (i32.mul (local.get $i) (i32.const 24)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.store offset=0 (i32.const 64) (local.get $len))
    (i64.store offset=8 (i32.const 64) (local.get $bytes))
    (i32.const 64))

  ;; spin: counts to `rounds`; for ever when it is 0 (an epoch deadline or
  ;; fuel stops it: wasmtime checks both at the loop's head).
  (func (export "acme:plugins/plugin@0.1.0#spin") (param $rounds i64) (result i64)
    (local $i i64)
    (block $done
      (loop $next
        (br_if $done
          (i32.and (i64.ne (local.get $rounds) (i64.const 0))
                   (i64.ge_u (local.get $i) (local.get $rounds))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (local.get $i))

  ;; ---- resource session ------------------------------------------------

  (func $cell_alloc (result i32)
    (local $p i32)
    (if (global.get $free)
      (then
        (local.set $p (global.get $free))
        (global.set $free (i32.load (local.get $p))))
      (else
        (if (i32.ge_u (global.get $next_cell) (i32.const 16384)) (then unreachable))
        (local.set $p (global.get $next_cell))
        (global.set $next_cell (i32.add (global.get $next_cell) (i32.const 16)))))
    (local.get $p))

  ;; The rep of a session is the address of its cell. The constructor opens
  ;; the host's kv-store "session:<user>" and logs at info.
  (func (export "acme:plugins/plugin@0.1.0#[constructor]session")
    (param $up i32) (param $ul i32) (result i32)
    (local $cell i32) (local $name i32) (local $buf i32) (local $end i32)
    (if (i32.gt_u (i32.add (global.get $names) (local.get $ul)) (i32.const 65536))
      (then unreachable))
    (local.set $name (global.get $names))
    (global.set $names (call $append (local.get $name) (local.get $up) (local.get $ul)))
    (local.set $cell (call $cell_alloc))
    (local.set $buf (call $alloc (i32.add (local.get $ul) (i32.const 19))))
    (local.set $end (call $append (local.get $buf) (i32.const 48) (i32.const 8)))
    (local.set $end (call $append (local.get $end) (local.get $name) (local.get $ul)))
    (i32.store offset=0 (local.get $cell)
      (call $kv_new (local.get $buf) (i32.sub (local.get $end) (local.get $buf))))
    (i32.store offset=4 (local.get $cell) (i32.const 0))
    (i32.store offset=8 (local.get $cell) (local.get $name))
    (i32.store offset=12 (local.get $cell) (local.get $ul))
    (local.set $end (call $append (local.get $buf) (i32.const 96) (i32.const 19)))
    (local.set $end (call $append (local.get $end) (local.get $name) (local.get $ul)))
    (call $log (i32.const 1) (local.get $buf) (i32.sub (local.get $end) (local.get $buf)))
    (call $session_new (local.get $cell)))

  ;; `self` is a borrow of a resource this component defines: it arrives as
  ;; the rep (the cell). add keeps the body under the title in the kv-store.
  (func (export "acme:plugins/plugin@0.1.0#[method]session.add")
    (param $self i32) (param $tp i32) (param $tl i32) (param $bp i32) (param $bl i32)
    (param $gp i32) (param $gl i32) (result i32)
    (call $kv_set (i32.load (local.get $self))
      (local.get $tp) (local.get $tl) (local.get $bp) (local.get $bl))
    (i32.store offset=4 (local.get $self)
      (i32.add (i32.load offset=4 (local.get $self)) (i32.const 1)))
    (i32.load offset=4 (local.get $self)))

  ;; kv-store.get's option<string> has our own result's layout (case at 0,
  ;; pointer at 4, length at 8): the host writes it into our return area.
  (func (export "acme:plugins/plugin@0.1.0#[method]session.lookup")
    (param $self i32) (param $tp i32) (param $tl i32) (result i32)
    (call $kv_get (i32.load (local.get $self)) (local.get $tp) (local.get $tl) (i32.const 64))
    (i32.const 64))

  ;; note: logs "<user>: <message>" at `level`.
  (func (export "acme:plugins/plugin@0.1.0#[method]session.note")
    (param $self i32) (param $level i32) (param $mp i32) (param $ml i32)
    (local $buf i32) (local $end i32)
    (local.set $buf (call $alloc
      (i32.add (i32.add (i32.load offset=12 (local.get $self)) (local.get $ml)) (i32.const 2))))
    (local.set $end (call $append (local.get $buf)
      (i32.load offset=8 (local.get $self)) (i32.load offset=12 (local.get $self))))
    (local.set $end (call $append (local.get $end) (i32.const 176) (i32.const 2)))
    (local.set $end (call $append (local.get $end) (local.get $mp) (local.get $ml)))
    (call $log (local.get $level) (local.get $buf) (i32.sub (local.get $end) (local.get $buf))))

  ;; A plugin bug, on purpose.
  (func (export "acme:plugins/plugin@0.1.0#[method]session.crash") (param $self i32)
    unreachable)

  ;; The destructor drops the session's kv-store handle (the host sees its
  ;; last handle go) and frees the cell.
  (func (export "acme:plugins/plugin@0.1.0#[dtor]session") (param $rep i32)
    (call $kv_drop (i32.load (local.get $rep)))
    (i32.store (local.get $rep) (global.get $free))
    (global.set $free (local.get $rep)))
)
