;; Hand-written core module for the `echo` world (see wit/echo.wit): `run`
;; writes its arguments after argv[0], separated by spaces and ended by a
;; newline, to WASI stdout; then returns ok, returns err (last argument
;; "err"), or calls `exit` with err (last argument "exit").
;;
;; Memory layout:
;;   16     get-arguments' return area (list pointer, length)
;;   32     blocking-write-and-flush's return area (result<_, stream-error>)
;;   48     " " and "\n"
;;   1024   the line being built
;;   65536  the heap: a bump allocator for cabi_realloc
(module
  (import "wasi:cli/environment@0.2.0" "get-arguments" (func $get_arguments (param i32)))
  (import "wasi:io/streams@0.2.0" "[method]output-stream.blocking-write-and-flush"
    (func $write_and_flush (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.0" "[resource-drop]output-stream"
    (func $drop_output_stream (param i32)))
  (import "wasi:cli/stdout@0.2.0" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:cli/exit@0.2.0" "exit" (func $exit (param i32)))

  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 65536))

  (func $realloc (export "cabi_realloc")
    (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32)
    (result i32)
    (local $ptr i32) (local $end i32)
    (local.set $ptr
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $ptr) (local.get $new_size)))
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

  ;; Does the string at ($ptr, $len) equal the 3 or 4 bytes given?
  (func $is (param $ptr i32) (param $len i32) (param $want i32) (param $wlen i32) (result i32)
    (if (i32.ne (local.get $len) (local.get $wlen)) (then (return (i32.const 0))))
    (if (i32.eq (local.get $wlen) (i32.const 3))
      (then (return (i32.eq
        (i32.and (i32.load (local.get $ptr)) (i32.const 0xffffff)) (local.get $want)))))
    (i32.eq (i32.load (local.get $ptr)) (local.get $want)))

  (func (export "wasi:cli/run@0.2.0#run") (result i32)
    (local $list i32) (local $n i32) (local $i i32) (local $s i32) (local $slen i32)
    (local $at i32) (local $out i32) (local $last i32) (local $lastlen i32)
    (call $get_arguments (i32.const 16))
    (local.set $list (i32.load (i32.const 16)))
    (local.set $n (i32.load (i32.const 20)))
    (local.set $at (i32.const 1024))
    (local.set $i (i32.const 1))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.load (i32.add (local.get $list) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $slen
          (i32.load (i32.add (local.get $list) (i32.add (i32.shl (local.get $i) (i32.const 3)) (i32.const 4)))))
        (if (i32.gt_u (local.get $i) (i32.const 1))
          (then
            (i32.store8 (local.get $at) (i32.const 32))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))))
        (memory.copy (local.get $at) (local.get $s) (local.get $slen))
        (local.set $at (i32.add (local.get $at) (local.get $slen)))
        (local.set $last (local.get $s))
        (local.set $lastlen (local.get $slen))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (i32.store8 (local.get $at) (i32.const 10))
    (local.set $at (i32.add (local.get $at) (i32.const 1)))
    (local.set $out (call $get_stdout))
    (call $write_and_flush (local.get $out) (i32.const 1024)
      (i32.sub (local.get $at) (i32.const 1024)) (i32.const 32))
    (if (i32.load8_u (i32.const 32)) (then unreachable))
    (call $drop_output_stream (local.get $out))
    ;; "exit" = 0x74697865 little-endian, "err" = 0x727265
    (if (call $is (local.get $last) (local.get $lastlen) (i32.const 0x74697865) (i32.const 4))
      (then (call $exit (i32.const 1)) (unreachable)))
    (call $is (local.get $last) (local.get $lastlen) (i32.const 0x727265) (i32.const 3)))
)
