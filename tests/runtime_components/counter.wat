(component
  (core module $A
    (memory (export "mem") 1)
    (global $drops (mut i32) (i32.const 0))
    (func (export "dtor") (param i32) global.get $drops i32.const 1 i32.add global.set $drops)
    (func (export "drops") (result i32) global.get $drops))
  (core instance $a (instantiate $A))
  (type $counter (resource (rep i32) (dtor (core func $a "dtor"))))
  (core func $new (canon resource.new $counter))
  (core func $rep (canon resource.rep $counter))
  (core func $drop (canon resource.drop $counter))
  (core module $B
    (import "a" "mem" (memory 1))
    (import "r" "new" (func $new (param i32) (result i32)))
    (import "r" "rep" (func $rep (param i32) (result i32)))
    (import "r" "drop" (func $drop (param i32)))
    (global $next (mut i32) (i32.const 16))
    (func (export "ctor") (param i32) (result i32)
      (local $cell i32)
      global.get $next local.set $cell
      global.get $next i32.const 4 i32.add global.set $next
      local.get $cell local.get 0 i32.store
      local.get $cell call $new)
    (func (export "get") (param i32) (result i32) local.get 0 i32.load)
    (func (export "inc") (param i32) local.get 0 local.get 0 i32.load i32.const 1 i32.add i32.store)
    (func (export "consume") (param i32) (result i32)
      (local $v i32)
      local.get 0 call $rep i32.load local.set $v
      local.get 0 call $drop
      local.get $v))
  (core instance $r (export "new" (func $new)) (export "rep" (func $rep)) (export "drop" (func $drop)))
  (core instance $b (instantiate $B (with "a" (instance $a)) (with "r" (instance $r))))
  (export $c "counter" (type $counter))
  (func (export "[constructor]counter") (param "start" u32) (result (own $c)) (canon lift (core func $b "ctor")))
  (func (export "[method]counter.get") (param "self" (borrow $c)) (result u32) (canon lift (core func $b "get")))
  (func (export "[method]counter.inc") (param "self" (borrow $c)) (canon lift (core func $b "inc")))
  (func (export "[static]counter.consume") (param "c" (own $c)) (result u32) (canon lift (core func $b "consume")))
  (func (export "drops") (result u32) (canon lift (core func $a "drops")))
)
