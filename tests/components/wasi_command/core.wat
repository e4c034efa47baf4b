;; Hand-written core module for the `wasi-command` world (see wit/command.wit),
;; following wit-component's names and the Canonical ABI.
;;
;; Memory layout:
;;   8      the return area of `bytes` and `str` (pointer, length)
;;   16     whether the next `run` fails (one byte)
;;   1024   the heap: a bump allocator for cabi_realloc, reset by post-return
(module
  (memory (export "memory") 1)
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
    (if (local.get $old_size)
      (then (memory.copy (local.get $ptr) (local.get $old)
        (select (local.get $old_size) (local.get $new_size)
          (i32.lt_u (local.get $old_size) (local.get $new_size))))))
    (local.get $ptr))

  (func $reset (param i32) (global.set $heap (i32.const 1024)))

  ;; run: ok, or err once after fail-next(true)
  (func (export "wasi:cli/run@0.2.0#run") (result i32)
    (i32.load8_u (i32.const 16))
    (i32.store8 (i32.const 16) (i32.const 0)))

  (func $echo (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 8) (local.get $ptr))
    (i32.store (i32.const 12) (local.get $len))
    (i32.const 8))
  (func (export "example:command/api@0.1.0#bytes") (param i32 i32) (result i32)
    (call $echo (local.get 0) (local.get 1)))
  (export "cabi_post_example:command/api@0.1.0#bytes" (func $reset))
  (func (export "example:command/api@0.1.0#str") (param i32 i32) (result i32)
    (call $echo (local.get 0) (local.get 1)))
  (export "cabi_post_example:command/api@0.1.0#str" (func $reset))
  (func (export "example:command/api@0.1.0#list") (param i32 i32) (result i32)
    (global.set $heap (i32.const 1024))
    (local.get 1))
  (func (export "example:command/api@0.1.0#fail-next") (param i32)
    (i32.store8 (i32.const 16) (local.get 0)))
)
