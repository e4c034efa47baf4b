;; Hand-written core module for the `host-imports` world (see wit/host.wit),
;; following wit-component's legacy names and the Canonical ABI.
;;
;; Memory layout:
;;   16     "greeting"  (the config key run asks for)
;;   32     "none"      (run's prefix when the key is not set)
;;   64     the return area of the exports, at most 16 bytes
;;   128    get-config's return area: option<string>, 12 bytes
;;   144    blob.read's return area: list<u8>, 8 bytes
;;   65536  the heap: a bump allocator for cabi_realloc, reset by post-return
(module
  (import "example:host/logger@0.1.0" "log"
    (func $log (param i32 i32 i32)))
  ;; option<string> is 3 flat results: returned through a pointer we pass.
  (import "example:host/logger@0.1.0" "get-config"
    (func $get_config (param i32 i32 i32)))
  (import "example:host/blobs@0.1.0" "[constructor]blob"
    (func $blob_new (param i32 i32) (result i32)))
  (import "example:host/blobs@0.1.0" "[method]blob.read"
    (func $blob_read (param i32 i32 i32)))
  (import "example:host/blobs@0.1.0" "[method]blob.size"
    (func $blob_size (param i32) (result i64)))
  (import "example:host/blobs@0.1.0" "[static]blob.merge"
    (func $blob_merge (param i32 i32) (result i32)))
  (import "example:host/blobs@0.1.0" "[resource-drop]blob"
    (func $blob_drop (param i32)))
  (import "example:host/blobs@0.1.0" "fail"
    (func $fail (param i32 i32 i32)))
  (import "$root" "now" (func $now (result i64)))

  (memory (export "memory") 2)
  (data (i32.const 16) "greeting")
  (data (i32.const 32) "none")

  (global $heap (mut i32) (i32.const 65536))

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

  (func $post (param i32) (global.set $heap (i32.const 65536)))
  (func $post_i64 (param i64) (global.set $heap (i32.const 65536)))
  (export "cabi_post_example:host/runner@0.1.0#run" (func $post))
  (export "cabi_post_example:host/runner@0.1.0#blob-roundtrip" (func $post))
  (export "cabi_post_example:host/runner@0.1.0#merged-size" (func $post_i64))
  (export "cabi_post_example:host/runner@0.1.0#try-fail" (func $post))
  (export "cabi_post_example:host/runner@0.1.0#stamped" (func $post))

  ;; run(msg): log(info, msg); then (get-config("greeting") or "none") + " " + msg.
  (func (export "example:host/runner@0.1.0#run")
    (param $msg i32) (param $len i32) (result i32)
    (local $pre i32) (local $pre_len i32) (local $out i32) (local $total i32)
    (call $log (i32.const 1) (local.get $msg) (local.get $len))  ;; level.info
    (call $get_config (i32.const 16) (i32.const 8) (i32.const 128))
    (if (i32.load8_u (i32.const 128))
      (then
        (local.set $pre (i32.load offset=4 (i32.const 128)))
        (local.set $pre_len (i32.load offset=8 (i32.const 128))))
      (else
        (local.set $pre (i32.const 32))
        (local.set $pre_len (i32.const 4))))
    (local.set $total (i32.add (i32.add (local.get $pre_len) (i32.const 1)) (local.get $len)))
    (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $total)))
    (memory.copy (local.get $out) (local.get $pre) (local.get $pre_len))
    (i32.store8 (i32.add (local.get $out) (local.get $pre_len)) (i32.const 32))
    (memory.copy
      (i32.add (i32.add (local.get $out) (local.get $pre_len)) (i32.const 1))
      (local.get $msg) (local.get $len))
    (i32.store (i32.const 64) (local.get $out))
    (i32.store (i32.const 68) (local.get $total))
    (i32.const 64))

  ;; An own<blob> returned by the host is a handle in this instance's table;
  ;; passing it as borrow<blob> (self) passes the same handle.
  (func (export "example:host/runner@0.1.0#blob-roundtrip")
    (param $data i32) (param $len i32) (result i32)
    (local $h i32)
    (local.set $h (call $blob_new (local.get $data) (local.get $len)))
    (call $blob_read (local.get $h)
      (i32.wrap_i64 (call $blob_size (local.get $h)))
      (i32.const 144))
    (call $blob_drop (local.get $h))
    (i32.store (i32.const 64) (i32.load (i32.const 144)))
    (i32.store (i32.const 68) (i32.load offset=4 (i32.const 144)))
    (i32.const 64))

  (func (export "example:host/runner@0.1.0#merged-size")
    (param $a i32) (param $a_len i32) (param $b i32) (param $b_len i32) (result i64)
    (local $ha i32) (local $hb i32) (local $hm i32) (local $size i64)
    (local.set $ha (call $blob_new (local.get $a) (local.get $a_len)))
    (local.set $hb (call $blob_new (local.get $b) (local.get $b_len)))
    (local.set $hm (call $blob_merge (local.get $ha) (local.get $hb)))
    (local.set $size (call $blob_size (local.get $hm)))
    (call $blob_drop (local.get $ha))
    (call $blob_drop (local.get $hb))
    (call $blob_drop (local.get $hm))
    (local.get $size))

  ;; result<u32, string> has the same layout on both sides (tag@0, u32 or
  ;; ptr@4, len@8): the import writes straight into our return area.
  (func (export "example:host/runner@0.1.0#try-fail")
    (param $msg i32) (param $len i32) (result i32)
    (call $fail (local.get $msg) (local.get $len) (i32.const 64))
    (i32.const 64))

  (func (export "example:host/runner@0.1.0#world-now") (result i64)
    (call $now))

  ;; stamp { time: u64, note: string }: time@0, ptr@8, len@12, size 16.
  (func (export "example:host/runner@0.1.0#stamped")
    (param $note i32) (param $len i32) (result i32)
    (i64.store (i32.const 64) (call $now))
    (i32.store offset=8 (i32.const 64) (local.get $note))
    (i32.store offset=12 (i32.const 64) (local.get $len))
    (i32.const 64))
)
