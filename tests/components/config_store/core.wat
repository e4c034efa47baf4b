;; Hand-written core module for world `config-user` (see wit/app.wit).
;;
;; Memory layout:
;;   16     "error: "
;;   32     get's return area: result tag@0, option/variant tag@4, string@8 (ptr, len)
;;   64     lookup's return area (ptr, len)
;;   1024   the heap: a bump allocator for cabi_realloc, reset by post-return
(module
  (import "wasi:config/store@0.2.0-draft" "get" (func $get (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "error: ")
  (global $heap (mut i32) (i32.const 1024))

  (func $realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
    (result i32)
    (local $ptr i32)
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $ptr) (local.get $new_size)))
    (if (i32.gt_u (global.get $heap) (i32.const 65536)) (then unreachable))
    (if (local.get $old)
      (then (memory.copy (local.get $ptr) (local.get $old)
        (select (local.get $old_size) (local.get $new_size)
          (i32.lt_u (local.get $old_size) (local.get $new_size))))))
    (local.get $ptr))

  (func (export "cabi_post_lookup") (param i32) (global.set $heap (i32.const 1024)))

  (func (export "lookup") (param $key i32) (param $len i32) (result i32)
    (local $s i32) (local $slen i32) (local $out i32)
    (call $get (local.get $key) (local.get $len) (i32.const 32))
    (local.set $s (i32.load (i32.const 40)))
    (local.set $slen (i32.load (i32.const 44)))
    (if (i32.eqz (i32.load8_u (i32.const 32)))
      (then
        ;; ok: some(value) or none
        (if (i32.eqz (i32.load8_u (i32.const 36))) (then (local.set $slen (i32.const 0))))
        (i32.store (i32.const 64) (local.get $s))
        (i32.store (i32.const 68) (local.get $slen))
        (return (i32.const 64))))
    ;; err(upstream(text) | io(text)): "error: " + text
    (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1)
      (i32.add (local.get $slen) (i32.const 7))))
    (memory.copy (local.get $out) (i32.const 16) (i32.const 7))
    (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $s) (local.get $slen))
    (i32.store (i32.const 64) (local.get $out))
    (i32.store (i32.const 68) (i32.add (local.get $slen) (i32.const 7)))
    (i32.const 64))
)
