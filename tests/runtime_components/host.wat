(component
  (import "test:rt/host" (instance $host
    (export "blob" (type $blob (sub resource)))
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
    (export "greet" (func (param "name" string) (result string)))
    (export "check" (func (param "x" u32) (result (result u32 (error string)))))
    (export "boom" (func))
    (export "[constructor]blob" (func (param "init" string) (result (own $blob))))
    (export "[method]blob.read" (func (param "self" (borrow $blob)) (result string)))
  ))
  (alias export $host "blob" (type $blob))
  (alias export $host "add" (func $add))
  (alias export $host "greet" (func $greet))
  (alias export $host "check" (func $check))
  (alias export $host "boom" (func $boom))
  (alias export $host "[constructor]blob" (func $blob-new))
  (alias export $host "[method]blob.read" (func $blob-read))
  (core module $A

    (memory (export "mem") 1)
    (global $bump (mut i32) (i32.const 1024))
    (global $calls (mut i32) (i32.const 0))
    (func $realloc (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
      (local $p i32)
      global.get $bump
      local.get $align i32.const 1 i32.sub i32.add
      local.get $align i32.const 1 i32.sub i32.const -1 i32.xor
      i32.and
      local.set $p
      local.get $p local.get $new_size i32.add global.set $bump
      (block $ok
        global.get $bump
        memory.size i32.const 16 i32.shl
        i32.le_u
        br_if $ok
        global.get $bump memory.size i32.const 16 i32.shl i32.sub
        i32.const 65535 i32.add i32.const 16 i32.shr_u
        memory.grow
        i32.const -1 i32.ne
        br_if $ok
        unreachable)
      (if (local.get $old)
        (then
          local.get $p
          local.get $old
          local.get $old_size local.get $new_size local.get $old_size local.get $new_size i32.lt_u select
          memory.copy))
      local.get $p)
    (func $tick global.get $calls i32.const 1 i32.add global.set $calls)
    (func (export "calls") (result i32) global.get $calls)
    (func (export "reset-i32") (param i32) i32.const 1024 global.set $bump)
    (func (export "reset-i64") (param i64) i32.const 1024 global.set $bump)
    (func (export "reset-f32") (param f32) i32.const 1024 global.set $bump)
    (func (export "reset-f64") (param f64) i32.const 1024 global.set $bump)
    (func (export "reset") i32.const 1024 global.set $bump)

  )
  (core instance $a (instantiate $A))
  (alias core export $a "mem" (core memory $mem))
  (alias core export $a "realloc" (core func $realloc))
  (core func $add-c (canon lower (func $add)))
  (core func $greet-c (canon lower (func $greet) (memory $mem) (realloc $realloc)))
  (core func $check-c (canon lower (func $check) (memory $mem) (realloc $realloc)))
  (core func $boom-c (canon lower (func $boom)))
  (core func $new-c (canon lower (func $blob-new) (memory $mem) (realloc $realloc)))
  (core func $read-c (canon lower (func $blob-read) (memory $mem) (realloc $realloc)))
  (core func $drop-c (canon resource.drop $blob))
  (core module $B
    (import "a" "mem" (memory 1))
    (import "h" "add" (func $add (param i32 i32) (result i32)))
    (import "h" "greet" (func $greet (param i32 i32 i32)))
    (import "h" "check" (func $check (param i32 i32)))
    (import "h" "boom" (func $boom))
    (import "h" "new" (func $new (param i32 i32) (result i32)))
    (import "h" "read" (func $read (param i32 i32)))
    (import "h" "drop" (func $drop (param i32)))
    (global $kept (mut i32) (i32.const 0))
    (func (export "call-add") (param i32 i32) (result i32) local.get 0 local.get 1 call $add)
    (func (export "add-loop") (param $n i32) (result i32)
      (local $acc i32)
      (block $done (loop $next
        local.get $n i32.eqz br_if $done
        local.get $acc i32.const 1 call $add local.set $acc
        local.get $n i32.const 1 i32.sub local.set $n
        br $next))
      local.get $acc)
    (func (export "call-greet") (param i32 i32) (result i32) local.get 0 local.get 1 i32.const 16 call $greet i32.const 16)
    (func (export "call-check") (param i32) (result i32) local.get 0 i32.const 32 call $check i32.const 32)
    (func (export "call-boom") call $boom)
    (func (export "blob-roundtrip") (param i32 i32) (result i32)
      (local $h i32)
      local.get 0 local.get 1 call $new local.set $h
      local.get $h i32.const 48 call $read
      local.get $h call $drop
      i32.const 48)
    (func (export "keep") (param i32 i32) local.get 0 local.get 1 call $new global.set $kept)
    (func (export "read-kept") (result i32) global.get $kept i32.const 48 call $read i32.const 48)
    (func (export "drop-kept") global.get $kept call $drop)
    (func (export "read-borrowed") (param i32) (result i32) local.get 0 i32.const 48 call $read local.get 0 call $drop i32.const 48)
    (func (export "echo-own") (param i32) (result i32) local.get 0)
    (func (export "take-own") (param i32) local.get 0 call $drop)
  )
  (core instance $h (export "add" (func $add-c)) (export "greet" (func $greet-c)) (export "check" (func $check-c))
    (export "boom" (func $boom-c)) (export "new" (func $new-c)) (export "read" (func $read-c)) (export "drop" (func $drop-c)))
  (core instance $b (instantiate $B (with "a" (instance $a)) (with "h" (instance $h))))
  (func (export "call-add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $b "call-add")))
  (func (export "add-loop") (param "n" u32) (result u32) (canon lift (core func $b "add-loop")))
  (func (export "call-greet") (param "name" string) (result string)
    (canon lift (core func $b "call-greet") (memory $mem) (realloc $realloc) (post-return (core func $a "reset-i32"))))
  (func (export "call-check") (param "x" u32) (result (result u32 (error string)))
    (canon lift (core func $b "call-check") (memory $mem) (realloc $realloc) (post-return (core func $a "reset-i32"))))
  (func (export "call-boom") (canon lift (core func $b "call-boom")))
  (func (export "blob-roundtrip") (param "init" string) (result string)
    (canon lift (core func $b "blob-roundtrip") (memory $mem) (realloc $realloc) (post-return (core func $a "reset-i32"))))
  (func (export "keep") (param "init" string) (canon lift (core func $b "keep") (memory $mem) (realloc $realloc)))
  (func (export "read-kept") (result string)
    (canon lift (core func $b "read-kept") (memory $mem) (realloc $realloc) (post-return (core func $a "reset-i32"))))
  (func (export "drop-kept") (canon lift (core func $b "drop-kept")))
  (func (export "read-borrowed") (param "b" (borrow $blob)) (result string)
    (canon lift (core func $b "read-borrowed") (memory $mem) (realloc $realloc) (post-return (core func $a "reset-i32"))))
  (func (export "echo-own") (param "b" (own $blob)) (result (own $blob)) (canon lift (core func $b "echo-own")))
  (func (export "take-own") (param "b" (own $blob)) (canon lift (core func $b "take-own")))
)
