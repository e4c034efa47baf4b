;; Hand-written core module for world `full` (see wit/compose.wit).
;;
;; Memory layout:
;;   16     "hello" and "event"
;;   32     wall-clock now's return area (seconds u64, nanoseconds u32)
(module
  (import "example:compose/host@0.1.0" "log" (func $log (param i32 i32)))
  (import "example:compose/math@0.1.0" "add" (func $add (param i32 i32) (result i32)))
  (import "example:compose/telemetry@0.1.0" "record-event" (func $event (param i32 i32)))
  (import "wasi:clocks/wall-clock@0.2.0" "now" (func $now (param i32)))

  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (data (i32.const 24) "event")

  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024))

  (func (export "example:compose/api@0.1.0#stamp") (result i64)
    (call $now (i32.const 32))
    (i64.load (i32.const 32)))
  (func (export "example:compose/api@0.1.0#sum") (param i32 i32) (result i32)
    (call $add (local.get 0) (local.get 1)))
  (func (export "example:compose/api@0.1.0#hello")
    (call $log (i32.const 16) (i32.const 5)))
  (func (export "example:compose/api@0.1.0#report")
    (call $event (i32.const 24) (i32.const 5)))
)
