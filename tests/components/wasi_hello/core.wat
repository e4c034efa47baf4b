;; Hand-written core module for the `wasi-hello` world (see wit/hello.wit):
;; greet(name) writes "hello, <name>\n" to WASI stdout and returns
;; "hello, <name>".
;;
;; Memory layout:
;;   16     "hello, "
;;   64     greet's return area (ptr, len)
;;   128    blocking-write-and-flush's return area:
;;          result<_, stream-error>: tag@0, stream-error tag@4, error handle@8
;;   65536  the heap: a bump allocator for cabi_realloc, reset by post-return
(module
  (import "wasi:io/streams@0.2.0" "[method]output-stream.blocking-write-and-flush"
    (func $write_and_flush (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.0" "[resource-drop]output-stream"
    (func $drop_output_stream (param i32)))
  (import "wasi:cli/stdout@0.2.0" "get-stdout"
    (func $get_stdout (result i32)))

  (memory (export "memory") 2)
  (data (i32.const 16) "hello, ")

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

  (func (export "cabi_post_greet") (param i32)
    (global.set $heap (i32.const 65536)))

  (func (export "greet") (param $name i32) (param $len i32) (result i32)
    (local $buf i32) (local $total i32) (local $out i32)
    ;; "hello, " + name + "\n"
    (local.set $total (i32.add (local.get $len) (i32.const 8)))
    (local.set $buf (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $total)))
    (memory.copy (local.get $buf) (i32.const 16) (i32.const 7))
    (memory.copy (i32.add (local.get $buf) (i32.const 7)) (local.get $name) (local.get $len))
    (i32.store8 (i32.add (local.get $buf) (i32.add (local.get $len) (i32.const 7))) (i32.const 10))
    (local.set $out (call $get_stdout))
    (call $write_and_flush (local.get $out) (local.get $buf) (local.get $total) (i32.const 128))
    ;; A failed write traps: a greeting that was not printed is an error the
    ;; host must see, not a value.
    (if (i32.load8_u (i32.const 128)) (then unreachable))
    (call $drop_output_stream (local.get $out))
    ;; the returned string is the same bytes without the newline
    (i32.store (i32.const 64) (local.get $buf))
    (i32.store (i32.const 68) (i32.sub (local.get $total) (i32.const 1)))
    (i32.const 64))
)
