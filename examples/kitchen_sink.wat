;; The kitchen_sink example component as text: `wasm-tools print` of the build
;; of tests/components/kitchen_sink (WIT + core.wat). Do not edit; regenerate
;; with `python scripts/regen_examples.py`.
(component
  (type $ty-example:kitchen/types@0.1.0 (;0;)
    (instance
      (type (;0;) (record (field "x" s32) (field "y" s32)))
      (export (;1;) "point" (type (eq 0)))
      (export (;2;) "pt" (type (eq 1)))
      (type (;3;) (record (field "x" s32) (field "y" s32)))
      (export (;4;) "offset" (type (eq 3)))
      (type (;5;) (variant (case "none") (case "circle" f64) (case "rect" 1) (case "named" string)))
      (export (;6;) "shape" (type (eq 5)))
      (type (;7;) (enum "red" "green" "blue-ish"))
      (export (;8;) "color" (type (eq 7)))
      (type (;9;) (flags "read" "write" "exec"))
      (export (;10;) "perms" (type (eq 9)))
    )
  )
  (import "example:kitchen/types@0.1.0" (instance $example:kitchen/types@0.1.0 (;0;) (type $ty-example:kitchen/types@0.1.0)))
  (core module $main (;0;)
    (type (;0;) (func (param i32) (result i32)))
    (type (;1;) (func (param i32)))
    (type (;2;) (func (param i32 i32 i32 i32) (result i32)))
    (type (;3;) (func (param i64)))
    (type (;4;) (func (result i32)))
    (type (;5;) (func (param i32 i32) (result i32)))
    (type (;6;) (func (param i32 i32 i32 i32 i32 i32 i32 i64 i64 f32 f64 i32) (result i32)))
    (type (;7;) (func (param i32 i32 i32) (result i32)))
    (type (;8;) (func (param i32 i64 i32) (result i32)))
    (type (;9;) (func (param i32) (result i64)))
    (type (;10;) (func))
    (import "[export]example:kitchen/api@0.1.0" "[resource-new]counter" (func $counter_new (;0;) (type 0) (param i32) (result i32)))
    (import "[export]example:kitchen/api@0.1.0" "[resource-rep]counter" (func $counter_rep (;1;) (type 0) (param i32) (result i32)))
    (import "[export]example:kitchen/api@0.1.0" "[resource-drop]counter" (func $counter_drop (;2;) (type 1) (param i32)))
    (memory (;0;) 2)
    (global $heap (;0;) (mut i32) i32.const 65536)
    (global $live (;1;) (mut i32) i32.const 0)
    (global $free (;2;) (mut i32) i32.const 0)
    (global $next_cell (;3;) (mut i32) i32.const 1024)
    (export "memory" (memory 0))
    (export "cabi_realloc" (func $realloc))
    (export "cabi_post_version" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-scalars" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-string" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-bytes" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-points" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-tuple" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-shape" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-opt" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-results" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-pt" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#echo-offset" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#checked-div" (func $post))
    (export "cabi_post_example:kitchen/api@0.1.0#many-args" (func $post_i64))
    (export "version" (func 6))
    (export "example:kitchen/api@0.1.0#[constructor]counter" (func 8))
    (export "example:kitchen/api@0.1.0#[method]counter.get" (func 9))
    (export "example:kitchen/api@0.1.0#[method]counter.incr" (func 10))
    (export "example:kitchen/api@0.1.0#[static]counter.merge" (func 11))
    (export "example:kitchen/api@0.1.0#[dtor]counter" (func 12))
    (export "example:kitchen/api@0.1.0#live-counters" (func 13))
    (export "example:kitchen/api@0.1.0#add" (func 14))
    (export "example:kitchen/api@0.1.0#echo-scalars" (func 15))
    (export "example:kitchen/api@0.1.0#echo-string" (func 17))
    (export "example:kitchen/api@0.1.0#echo-bytes" (func 18))
    (export "example:kitchen/api@0.1.0#echo-points" (func 19))
    (export "example:kitchen/api@0.1.0#echo-results" (func 20))
    (export "example:kitchen/api@0.1.0#echo-tuple" (func 21))
    (export "example:kitchen/api@0.1.0#echo-shape" (func 22))
    (export "example:kitchen/api@0.1.0#echo-color" (func 23))
    (export "example:kitchen/api@0.1.0#echo-perms" (func 24))
    (export "example:kitchen/api@0.1.0#echo-many" (func 25))
    (export "example:kitchen/api@0.1.0#echo-opt" (func 26))
    (export "example:kitchen/api@0.1.0#echo-pt" (func 28))
    (export "example:kitchen/api@0.1.0#echo-offset" (func 29))
    (export "example:kitchen/api@0.1.0#checked-div" (func 30))
    (export "example:kitchen/api@0.1.0#many-args" (func 31))
    (export "example:kitchen/api@0.1.0#nothing" (func 32))
    (func $realloc (;3;) (type 2) (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
      (local $ptr i32) (local $end i32)
      global.get $heap
      local.get $align
      i32.const 1
      i32.sub
      i32.add
      i32.const 0
      local.get $align
      i32.sub
      i32.and
      local.set $ptr
      local.get $ptr
      local.get $new_size
      i32.add
      local.set $end
      local.get $end
      local.get $ptr
      i32.lt_u
      if ;; label = @1
        unreachable
      end
      local.get $end
      memory.size
      i32.const 16
      i32.shl
      i32.gt_u
      if ;; label = @1
        local.get $end
        i32.const 65535
        i32.add
        i32.const 16
        i32.shr_u
        memory.size
        i32.sub
        memory.grow
        i32.const -1
        i32.eq
        if ;; label = @2
          unreachable
        end
      end
      local.get $end
      global.set $heap
      local.get $old
      if ;; label = @1
        local.get $ptr
        local.get $old
        local.get $old_size
        local.get $new_size
        local.get $old_size
        local.get $new_size
        i32.lt_u
        select
        memory.copy
      end
      local.get $ptr
    )
    (func $post (;4;) (type 1) (param i32)
      i32.const 65536
      global.set $heap
    )
    (func $post_i64 (;5;) (type 3) (param i64)
      i32.const 65536
      global.set $heap
    )
    (func (;6;) (type 4) (result i32)
      i32.const 64
      i32.const 16
      i32.store
      i32.const 68
      i32.const 5
      i32.store
      i32.const 64
    )
    (func $cell_alloc (;7;) (type 0) (param $value i32) (result i32)
      (local $p i32)
      global.get $free
      if ;; label = @1
        global.get $free
        local.set $p
        local.get $p
        i32.load
        global.set $free
      else
        global.get $next_cell
        i32.const 65536
        i32.ge_u
        if ;; label = @2
          unreachable
        end
        global.get $next_cell
        local.set $p
        global.get $next_cell
        i32.const 4
        i32.add
        global.set $next_cell
      end
      local.get $p
      local.get $value
      i32.store
      global.get $live
      i32.const 1
      i32.add
      global.set $live
      local.get $p
    )
    (func (;8;) (type 0) (param $start i32) (result i32)
      local.get $start
      call $cell_alloc
      call $counter_new
    )
    (func (;9;) (type 0) (param $self i32) (result i32)
      local.get $self
      i32.load
    )
    (func (;10;) (type 5) (param $self i32) (param $by i32) (result i32)
      local.get $self
      local.get $self
      i32.load
      local.get $by
      i32.add
      i32.store
      local.get $self
      i32.load
    )
    (func (;11;) (type 5) (param $a i32) (param $b i32) (result i32)
      (local $sum i32)
      local.get $a
      i32.load
      local.get $b
      call $counter_rep
      i32.load
      i32.add
      local.set $sum
      local.get $b
      call $counter_drop
      local.get $sum
      call $cell_alloc
      call $counter_new
    )
    (func (;12;) (type 1) (param $rep i32)
      local.get $rep
      global.get $free
      i32.store
      local.get $rep
      global.set $free
      global.get $live
      i32.const 1
      i32.sub
      global.set $live
    )
    (func (;13;) (type 4) (result i32)
      global.get $live
    )
    (func (;14;) (type 5) (param $a i32) (param $b i32) (result i32)
      local.get $a
      local.get $b
      i32.add
    )
    (func (;15;) (type 6) (param $b i32) (param $a8 i32) (param $b8 i32) (param $a16 i32) (param $b16 i32) (param $a32 i32) (param $b32 i32) (param $a64 i64) (param $b64 i64) (param $f f32) (param $d f64) (param $c i32) (result i32)
      i32.const 64
      local.get $b
      i32.store8
      i32.const 64
      local.get $a8
      i32.store8 offset=1
      i32.const 64
      local.get $b8
      i32.store8 offset=2
      i32.const 64
      local.get $a16
      i32.store16 offset=4
      i32.const 64
      local.get $b16
      i32.store16 offset=6
      i32.const 64
      local.get $a32
      i32.store offset=8
      i32.const 64
      local.get $b32
      i32.store offset=12
      i32.const 64
      local.get $a64
      i64.store offset=16
      i32.const 64
      local.get $b64
      i64.store offset=24
      i32.const 64
      local.get $f
      f32.store offset=32
      i32.const 64
      local.get $d
      f64.store offset=40
      i32.const 64
      local.get $c
      i32.store offset=48
      i32.const 64
    )
    (func $echo_ptr_len (;16;) (type 5) (param $ptr i32) (param $len i32) (result i32)
      i32.const 64
      local.get $ptr
      i32.store
      i32.const 68
      local.get $len
      i32.store
      i32.const 64
    )
    (func (;17;) (type 5) (param i32 i32) (result i32)
      local.get 0
      local.get 1
      call $echo_ptr_len
    )
    (func (;18;) (type 5) (param i32 i32) (result i32)
      local.get 0
      local.get 1
      call $echo_ptr_len
    )
    (func (;19;) (type 5) (param i32 i32) (result i32)
      local.get 0
      local.get 1
      call $echo_ptr_len
    )
    (func (;20;) (type 5) (param i32 i32) (result i32)
      local.get 0
      local.get 1
      call $echo_ptr_len
    )
    (func (;21;) (type 7) (param $a i32) (param $ptr i32) (param $len i32) (result i32)
      i32.const 64
      local.get $a
      i32.store8
      i32.const 64
      local.get $ptr
      i32.store offset=4
      i32.const 64
      local.get $len
      i32.store offset=8
      i32.const 64
    )
    (func (;22;) (type 8) (param $disc i32) (param $p0 i64) (param $p1 i32) (result i32)
      i32.const 64
      local.get $disc
      i32.store8
      block $done
        local.get $disc
        i32.eqz
        br_if $done
        local.get $disc
        i32.const 1
        i32.eq
        if ;; label = @2
          i32.const 64
          local.get $p0
          f64.reinterpret_i64
          f64.store offset=8
          br $done
        end
        i32.const 64
        local.get $p0
        i32.wrap_i64
        i32.store offset=8
        i32.const 64
        local.get $p1
        i32.store offset=12
      end
      i32.const 64
    )
    (func (;23;) (type 0) (param i32) (result i32)
      local.get 0
    )
    (func (;24;) (type 0) (param i32) (result i32)
      local.get 0
    )
    (func (;25;) (type 0) (param i32) (result i32)
      local.get 0
    )
    (func (;26;) (type 7) (param $outer i32) (param $inner i32) (param $v i32) (result i32)
      i32.const 64
      local.get $outer
      i32.store8
      i32.const 64
      local.get $inner
      i32.store8 offset=4
      i32.const 64
      local.get $v
      i32.store offset=8
      i32.const 64
    )
    (func $echo_xy (;27;) (type 5) (param $x i32) (param $y i32) (result i32)
      i32.const 64
      local.get $x
      i32.store
      i32.const 64
      local.get $y
      i32.store offset=4
      i32.const 64
    )
    (func (;28;) (type 5) (param i32 i32) (result i32)
      local.get 0
      local.get 1
      call $echo_xy
    )
    (func (;29;) (type 5) (param i32 i32) (result i32)
      local.get 0
      local.get 1
      call $echo_xy
    )
    (func (;30;) (type 5) (param $a i32) (param $b i32) (result i32)
      local.get $b
      i32.eqz
      if ;; label = @1
        i32.const 64
        i32.const 1
        i32.store8
        i32.const 64
        i32.const 32
        i32.store offset=4
        i32.const 64
        i32.const 16
        i32.store offset=8
      else
        i32.const 64
        i32.const 0
        i32.store8
        i32.const 64
        local.get $a
        local.get $b
        i32.div_s
        i32.store offset=4
      end
      i32.const 64
    )
    (func (;31;) (type 9) (param $args i32) (result i64)
      (local $i i32) (local $sum i64)
      loop $next
        local.get $sum
        local.get $args
        local.get $i
        i32.const 2
        i32.shl
        i32.add
        i32.load
        i64.extend_i32_u
        i64.add
        local.set $sum
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        local.get $i
        i32.const 17
        i32.lt_u
        br_if $next
      end
      local.get $sum
    )
    (func (;32;) (type 10))
    (data (;0;) (i32.const 16) "0.1.0")
    (data (;1;) (i32.const 32) "division by zero")
    (@producers
      (processed-by "wit-component" "0.262.0")
    )
  )
  (core module $wit-component-shim-module (;1;)
    (type (;0;) (func (param i32)))
    (table (;0;) 1 1 funcref)
    (export "0" (func $dtor-counter))
    (export "$imports" (table 0))
    (func $dtor-counter (;0;) (type 0) (param i32)
      local.get 0
      i32.const 0
      call_indirect (type 0)
    )
    (@producers
      (processed-by "wit-component" "0.262.0")
    )
  )
  (core instance $wit-component-shim-instance (;0;) (instantiate $wit-component-shim-module))
  (alias export $example:kitchen/types@0.1.0 "point" (type $point (;1;)))
  (alias export $example:kitchen/types@0.1.0 "pt" (type $pt (;2;)))
  (alias export $example:kitchen/types@0.1.0 "offset" (type $offset (;3;)))
  (alias export $example:kitchen/types@0.1.0 "shape" (type $shape (;4;)))
  (alias export $example:kitchen/types@0.1.0 "color" (type $color (;5;)))
  (alias export $example:kitchen/types@0.1.0 "perms" (type $perms (;6;)))
  (type (;7;) (record (field "b" bool) (field "a8" s8) (field "b8" u8) (field "a16" s16) (field "b16" u16) (field "a32" s32) (field "b32" u32) (field "a64" s64) (field "b64" u64) (field "f" f32) (field "d" f64) (field "c" char)))
  (type (;8;) (flags "f0" "f1" "f2" "f3" "f4" "f5" "f6" "f7" "f8" "f9" "f10" "f11" "f12" "f13" "f14" "f15" "f16" "f17" "f18" "f19" "f20" "f21" "f22" "f23" "f24" "f25" "f26" "f27" "f28" "f29" "f30" "f31"))
  (alias core export $wit-component-shim-instance "0" (core func $dtor-counter (;0;)))
  (type $counter (;9;) (resource (rep i32) (dtor $dtor-counter)))
  (core func $resource.new (;1;) (canon resource.new $counter))
  (core func $resource.rep (;2;) (canon resource.rep $counter))
  (core func $resource.drop (;3;) (canon resource.drop $counter))
  (core instance $"[export]example:kitchen/api@0.1.0" (;1;)
    (export "[resource-new]counter" (func $resource.new))
    (export "[resource-rep]counter" (func $resource.rep))
    (export "[resource-drop]counter" (func $resource.drop))
  )
  (core instance $main (;2;) (instantiate $main
      (with "[export]example:kitchen/api@0.1.0" (instance $"[export]example:kitchen/api@0.1.0"))
    )
  )
  (alias core export $main "memory" (core memory $memory (;0;)))
  (core module $wit-component-fixup (;2;)
    (type (;0;) (func (param i32)))
    (import "actual" "0" (func $0 (;0;) (type 0) (param i32)))
    (import "shim" "$imports" (table (;0;) 1 1 funcref))
    (elem (;0;) (i32.const 0) func $0)
    (@producers
      (processed-by "wit-component" "0.262.0")
    )
  )
  (alias core export $main "example:kitchen/api@0.1.0#[dtor]counter" (core func $"example:kitchen/api@0.1.0#[dtor]counter" (;4;)))
  (core instance $actual (;3;)
    (export "0" (func $"example:kitchen/api@0.1.0#[dtor]counter"))
  )
  (core instance $fixup (;4;) (instantiate $wit-component-fixup
      (with "actual" (instance $actual))
      (with "shim" (instance $wit-component-shim-instance))
    )
  )
  (type (;10;) (func (result string)))
  (alias core export $main "version" (core func $version (;5;)))
  (alias core export $main "cabi_post_version" (core func $cabi_post_version (;6;)))
  (func $version (;0;) (type 10) (canon lift (core func $version) (memory $memory) string-encoding=utf8 (post-return $cabi_post_version)))
  (export $"#func1 version" (@name "version") (;1;) "version" (func $version))
  (type (;11;) (own $counter))
  (type (;12;) (func (param "start" u32) (result 11)))
  (alias core export $main "example:kitchen/api@0.1.0#[constructor]counter" (core func $"example:kitchen/api@0.1.0#[constructor]counter" (;7;)))
  (func $"[constructor]counter" (;2;) (type 12) (canon lift (core func $"example:kitchen/api@0.1.0#[constructor]counter")))
  (type (;13;) (borrow $counter))
  (type (;14;) (func (param "self" 13) (result u32)))
  (alias core export $main "example:kitchen/api@0.1.0#[method]counter.get" (core func $"example:kitchen/api@0.1.0#[method]counter.get" (;8;)))
  (func $"[method]counter.get" (;3;) (type 14) (canon lift (core func $"example:kitchen/api@0.1.0#[method]counter.get")))
  (type (;15;) (func (param "self" 13) (param "by" u32) (result u32)))
  (alias core export $main "example:kitchen/api@0.1.0#[method]counter.incr" (core func $"example:kitchen/api@0.1.0#[method]counter.incr" (;9;)))
  (func $"[method]counter.incr" (;4;) (type 15) (canon lift (core func $"example:kitchen/api@0.1.0#[method]counter.incr")))
  (type (;16;) (func (param "a" 13) (param "b" 11) (result 11)))
  (alias core export $main "example:kitchen/api@0.1.0#[static]counter.merge" (core func $"example:kitchen/api@0.1.0#[static]counter.merge" (;10;)))
  (func $"[static]counter.merge" (;5;) (type 16) (canon lift (core func $"example:kitchen/api@0.1.0#[static]counter.merge")))
  (type (;17;) (func (result u32)))
  (alias core export $main "example:kitchen/api@0.1.0#live-counters" (core func $example:kitchen/api@0.1.0#live-counters (;11;)))
  (func $live-counters (;6;) (type 17) (canon lift (core func $example:kitchen/api@0.1.0#live-counters)))
  (type (;18;) (func (param "a" u32) (param "b" u32) (result u32)))
  (alias core export $main "example:kitchen/api@0.1.0#add" (core func $example:kitchen/api@0.1.0#add (;12;)))
  (func $add (;7;) (type 18) (canon lift (core func $example:kitchen/api@0.1.0#add)))
  (type (;19;) (func (param "v" 7) (result 7)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-scalars" (core func $example:kitchen/api@0.1.0#echo-scalars (;13;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-scalars" (core func $cabi_post_example:kitchen/api@0.1.0#echo-scalars (;14;)))
  (func $echo-scalars (;8;) (type 19) (canon lift (core func $example:kitchen/api@0.1.0#echo-scalars) (memory $memory) (post-return $cabi_post_example:kitchen/api@0.1.0#echo-scalars)))
  (type (;20;) (func (param "s" string) (result string)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-string" (core func $example:kitchen/api@0.1.0#echo-string (;15;)))
  (alias core export $main "cabi_realloc" (core func $cabi_realloc (;16;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-string" (core func $cabi_post_example:kitchen/api@0.1.0#echo-string (;17;)))
  (func $echo-string (;9;) (type 20) (canon lift (core func $example:kitchen/api@0.1.0#echo-string) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $cabi_post_example:kitchen/api@0.1.0#echo-string)))
  (type (;21;) (list u8))
  (type (;22;) (func (param "b" 21) (result 21)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-bytes" (core func $example:kitchen/api@0.1.0#echo-bytes (;18;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-bytes" (core func $cabi_post_example:kitchen/api@0.1.0#echo-bytes (;19;)))
  (func $echo-bytes (;10;) (type 22) (canon lift (core func $example:kitchen/api@0.1.0#echo-bytes) (memory $memory) (realloc $cabi_realloc) (post-return $cabi_post_example:kitchen/api@0.1.0#echo-bytes)))
  (type (;23;) (list $point))
  (type (;24;) (func (param "p" 23) (result 23)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-points" (core func $example:kitchen/api@0.1.0#echo-points (;20;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-points" (core func $cabi_post_example:kitchen/api@0.1.0#echo-points (;21;)))
  (func $echo-points (;11;) (type 24) (canon lift (core func $example:kitchen/api@0.1.0#echo-points) (memory $memory) (realloc $cabi_realloc) (post-return $cabi_post_example:kitchen/api@0.1.0#echo-points)))
  (type (;25;) (tuple u8 string))
  (type (;26;) (func (param "t" 25) (result 25)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-tuple" (core func $example:kitchen/api@0.1.0#echo-tuple (;22;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-tuple" (core func $cabi_post_example:kitchen/api@0.1.0#echo-tuple (;23;)))
  (func $echo-tuple (;12;) (type 26) (canon lift (core func $example:kitchen/api@0.1.0#echo-tuple) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $cabi_post_example:kitchen/api@0.1.0#echo-tuple)))
  (type (;27;) (func (param "s" $shape) (result $shape)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-shape" (core func $example:kitchen/api@0.1.0#echo-shape (;24;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-shape" (core func $cabi_post_example:kitchen/api@0.1.0#echo-shape (;25;)))
  (func $echo-shape (;13;) (type 27) (canon lift (core func $example:kitchen/api@0.1.0#echo-shape) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $cabi_post_example:kitchen/api@0.1.0#echo-shape)))
  (type (;28;) (func (param "c" $color) (result $color)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-color" (core func $example:kitchen/api@0.1.0#echo-color (;26;)))
  (func $echo-color (;14;) (type 28) (canon lift (core func $example:kitchen/api@0.1.0#echo-color)))
  (type (;29;) (func (param "p" $perms) (result $perms)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-perms" (core func $example:kitchen/api@0.1.0#echo-perms (;27;)))
  (func $echo-perms (;15;) (type 29) (canon lift (core func $example:kitchen/api@0.1.0#echo-perms)))
  (type (;30;) (func (param "m" 8) (result 8)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-many" (core func $example:kitchen/api@0.1.0#echo-many (;28;)))
  (func $echo-many (;16;) (type 30) (canon lift (core func $example:kitchen/api@0.1.0#echo-many)))
  (type (;31;) (option u32))
  (type (;32;) (option 31))
  (type (;33;) (func (param "o" 32) (result 32)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-opt" (core func $example:kitchen/api@0.1.0#echo-opt (;29;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-opt" (core func $cabi_post_example:kitchen/api@0.1.0#echo-opt (;30;)))
  (func $echo-opt (;17;) (type 33) (canon lift (core func $example:kitchen/api@0.1.0#echo-opt) (memory $memory) (post-return $cabi_post_example:kitchen/api@0.1.0#echo-opt)))
  (type (;34;) (result u32 (error string)))
  (type (;35;) (list 34))
  (type (;36;) (func (param "r" 35) (result 35)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-results" (core func $example:kitchen/api@0.1.0#echo-results (;31;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-results" (core func $cabi_post_example:kitchen/api@0.1.0#echo-results (;32;)))
  (func $echo-results (;18;) (type 36) (canon lift (core func $example:kitchen/api@0.1.0#echo-results) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $cabi_post_example:kitchen/api@0.1.0#echo-results)))
  (type (;37;) (func (param "p" $pt) (result $pt)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-pt" (core func $example:kitchen/api@0.1.0#echo-pt (;33;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-pt" (core func $cabi_post_example:kitchen/api@0.1.0#echo-pt (;34;)))
  (func $echo-pt (;19;) (type 37) (canon lift (core func $example:kitchen/api@0.1.0#echo-pt) (memory $memory) (post-return $cabi_post_example:kitchen/api@0.1.0#echo-pt)))
  (type (;38;) (func (param "o" $offset) (result $offset)))
  (alias core export $main "example:kitchen/api@0.1.0#echo-offset" (core func $example:kitchen/api@0.1.0#echo-offset (;35;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#echo-offset" (core func $cabi_post_example:kitchen/api@0.1.0#echo-offset (;36;)))
  (func $echo-offset (;20;) (type 38) (canon lift (core func $example:kitchen/api@0.1.0#echo-offset) (memory $memory) (post-return $cabi_post_example:kitchen/api@0.1.0#echo-offset)))
  (type (;39;) (result s32 (error string)))
  (type (;40;) (func (param "a" s32) (param "b" s32) (result 39)))
  (alias core export $main "example:kitchen/api@0.1.0#checked-div" (core func $example:kitchen/api@0.1.0#checked-div (;37;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#checked-div" (core func $cabi_post_example:kitchen/api@0.1.0#checked-div (;38;)))
  (func $checked-div (;21;) (type 40) (canon lift (core func $example:kitchen/api@0.1.0#checked-div) (memory $memory) string-encoding=utf8 (post-return $cabi_post_example:kitchen/api@0.1.0#checked-div)))
  (type (;41;) (func (param "a1" u32) (param "a2" u32) (param "a3" u32) (param "a4" u32) (param "a5" u32) (param "a6" u32) (param "a7" u32) (param "a8" u32) (param "a9" u32) (param "a10" u32) (param "a11" u32) (param "a12" u32) (param "a13" u32) (param "a14" u32) (param "a15" u32) (param "a16" u32) (param "a17" u32) (result u64)))
  (alias core export $main "example:kitchen/api@0.1.0#many-args" (core func $example:kitchen/api@0.1.0#many-args (;39;)))
  (alias core export $main "cabi_post_example:kitchen/api@0.1.0#many-args" (core func $cabi_post_example:kitchen/api@0.1.0#many-args (;40;)))
  (func $many-args (;22;) (type 41) (canon lift (core func $example:kitchen/api@0.1.0#many-args) (memory $memory) (realloc $cabi_realloc) (post-return $cabi_post_example:kitchen/api@0.1.0#many-args)))
  (type (;42;) (func))
  (alias core export $main "example:kitchen/api@0.1.0#nothing" (core func $example:kitchen/api@0.1.0#nothing (;41;)))
  (func $nothing (;23;) (type 42) (canon lift (core func $example:kitchen/api@0.1.0#nothing)))
  (component $example:kitchen/api@0.1.0-shim-component (;0;)
    (type (;0;) (record (field "x" s32) (field "y" s32)))
    (import "import-type-point" (type (;1;) (eq 0)))
    (import "import-type-pt" (type (;2;) (eq 1)))
    (type (;3;) (record (field "x" s32) (field "y" s32)))
    (import "import-type-offset" (type (;4;) (eq 3)))
    (type (;5;) (variant (case "none") (case "circle" f64) (case "rect" 1) (case "named" string)))
    (import "import-type-shape" (type (;6;) (eq 5)))
    (type (;7;) (enum "red" "green" "blue-ish"))
    (import "import-type-color" (type (;8;) (eq 7)))
    (type (;9;) (flags "read" "write" "exec"))
    (import "import-type-perms" (type (;10;) (eq 9)))
    (import "import-type-counter" (type (;11;) (sub resource)))
    (type (;12;) (own 11))
    (type (;13;) (func (param "start" u32) (result 12)))
    (import "import-constructor-counter" (func (;0;) (type 13)))
    (type (;14;) (borrow 11))
    (type (;15;) (func (param "self" 14) (result u32)))
    (import "import-method-counter-get" (func (;1;) (type 15)))
    (type (;16;) (func (param "self" 14) (param "by" u32) (result u32)))
    (import "import-method-counter-incr" (func (;2;) (type 16)))
    (type (;17;) (func (param "a" 14) (param "b" 12) (result 12)))
    (import "import-static-counter-merge" (func (;3;) (type 17)))
    (type (;18;) (func (result u32)))
    (import "import-func-live-counters" (func (;4;) (type 18)))
    (type (;19;) (func (param "a" u32) (param "b" u32) (result u32)))
    (import "import-func-add" (func (;5;) (type 19)))
    (type (;20;) (record (field "b" bool) (field "a8" s8) (field "b8" u8) (field "a16" s16) (field "b16" u16) (field "a32" s32) (field "b32" u32) (field "a64" s64) (field "b64" u64) (field "f" f32) (field "d" f64) (field "c" char)))
    (import "import-type-all-scalars" (type (;21;) (eq 20)))
    (type (;22;) (func (param "v" 21) (result 21)))
    (import "import-func-echo-scalars" (func (;6;) (type 22)))
    (type (;23;) (func (param "s" string) (result string)))
    (import "import-func-echo-string" (func (;7;) (type 23)))
    (type (;24;) (list u8))
    (type (;25;) (func (param "b" 24) (result 24)))
    (import "import-func-echo-bytes" (func (;8;) (type 25)))
    (import "import-type-point0" (type (;26;) (eq 1)))
    (type (;27;) (list 26))
    (type (;28;) (func (param "p" 27) (result 27)))
    (import "import-func-echo-points" (func (;9;) (type 28)))
    (type (;29;) (tuple u8 string))
    (type (;30;) (func (param "t" 29) (result 29)))
    (import "import-func-echo-tuple" (func (;10;) (type 30)))
    (import "import-type-shape0" (type (;31;) (eq 6)))
    (type (;32;) (func (param "s" 31) (result 31)))
    (import "import-func-echo-shape" (func (;11;) (type 32)))
    (import "import-type-color0" (type (;33;) (eq 8)))
    (type (;34;) (func (param "c" 33) (result 33)))
    (import "import-func-echo-color" (func (;12;) (type 34)))
    (import "import-type-perms0" (type (;35;) (eq 10)))
    (type (;36;) (func (param "p" 35) (result 35)))
    (import "import-func-echo-perms" (func (;13;) (type 36)))
    (type (;37;) (flags "f0" "f1" "f2" "f3" "f4" "f5" "f6" "f7" "f8" "f9" "f10" "f11" "f12" "f13" "f14" "f15" "f16" "f17" "f18" "f19" "f20" "f21" "f22" "f23" "f24" "f25" "f26" "f27" "f28" "f29" "f30" "f31"))
    (import "import-type-many" (type (;38;) (eq 37)))
    (type (;39;) (func (param "m" 38) (result 38)))
    (import "import-func-echo-many" (func (;14;) (type 39)))
    (type (;40;) (option u32))
    (type (;41;) (option 40))
    (type (;42;) (func (param "o" 41) (result 41)))
    (import "import-func-echo-opt" (func (;15;) (type 42)))
    (type (;43;) (result u32 (error string)))
    (type (;44;) (list 43))
    (type (;45;) (func (param "r" 44) (result 44)))
    (import "import-func-echo-results" (func (;16;) (type 45)))
    (import "import-type-pt0" (type (;46;) (eq 2)))
    (type (;47;) (func (param "p" 46) (result 46)))
    (import "import-func-echo-pt" (func (;17;) (type 47)))
    (import "import-type-offset0" (type (;48;) (eq 4)))
    (type (;49;) (func (param "o" 48) (result 48)))
    (import "import-func-echo-offset" (func (;18;) (type 49)))
    (type (;50;) (result s32 (error string)))
    (type (;51;) (func (param "a" s32) (param "b" s32) (result 50)))
    (import "import-func-checked-div" (func (;19;) (type 51)))
    (type (;52;) (func (param "a1" u32) (param "a2" u32) (param "a3" u32) (param "a4" u32) (param "a5" u32) (param "a6" u32) (param "a7" u32) (param "a8" u32) (param "a9" u32) (param "a10" u32) (param "a11" u32) (param "a12" u32) (param "a13" u32) (param "a14" u32) (param "a15" u32) (param "a16" u32) (param "a17" u32) (result u64)))
    (import "import-func-many-args" (func (;20;) (type 52)))
    (type (;53;) (func))
    (import "import-func-nothing" (func (;21;) (type 53)))
    (export (;54;) "point" (type 1))
    (export (;55;) "pt" (type 2))
    (export (;56;) "offset" (type 4))
    (export (;57;) "shape" (type 6))
    (export (;58;) "color" (type 8))
    (export (;59;) "perms" (type 10))
    (type (;60;) (record (field "b" bool) (field "a8" s8) (field "b8" u8) (field "a16" s16) (field "b16" u16) (field "a32" s32) (field "b32" u32) (field "a64" s64) (field "b64" u64) (field "f" f32) (field "d" f64) (field "c" char)))
    (export (;61;) "all-scalars" (type 60))
    (type (;62;) (flags "f0" "f1" "f2" "f3" "f4" "f5" "f6" "f7" "f8" "f9" "f10" "f11" "f12" "f13" "f14" "f15" "f16" "f17" "f18" "f19" "f20" "f21" "f22" "f23" "f24" "f25" "f26" "f27" "f28" "f29" "f30" "f31"))
    (export (;63;) "many" (type 62))
    (export (;64;) "counter" (type 11))
    (type (;65;) (own 64))
    (type (;66;) (func (param "start" u32) (result 65)))
    (export (;22;) "[constructor]counter" (func 0) (func (type 66)))
    (type (;67;) (borrow 64))
    (type (;68;) (func (param "self" 67) (result u32)))
    (export (;23;) "[method]counter.get" (func 1) (func (type 68)))
    (type (;69;) (func (param "self" 67) (param "by" u32) (result u32)))
    (export (;24;) "[method]counter.incr" (func 2) (func (type 69)))
    (type (;70;) (func (param "a" 67) (param "b" 65) (result 65)))
    (export (;25;) "[static]counter.merge" (func 3) (func (type 70)))
    (type (;71;) (func (result u32)))
    (export (;26;) "live-counters" (func 4) (func (type 71)))
    (type (;72;) (func (param "a" u32) (param "b" u32) (result u32)))
    (export (;27;) "add" (func 5) (func (type 72)))
    (type (;73;) (func (param "v" 61) (result 61)))
    (export (;28;) "echo-scalars" (func 6) (func (type 73)))
    (type (;74;) (func (param "s" string) (result string)))
    (export (;29;) "echo-string" (func 7) (func (type 74)))
    (type (;75;) (list u8))
    (type (;76;) (func (param "b" 75) (result 75)))
    (export (;30;) "echo-bytes" (func 8) (func (type 76)))
    (type (;77;) (list 54))
    (type (;78;) (func (param "p" 77) (result 77)))
    (export (;31;) "echo-points" (func 9) (func (type 78)))
    (type (;79;) (tuple u8 string))
    (type (;80;) (func (param "t" 79) (result 79)))
    (export (;32;) "echo-tuple" (func 10) (func (type 80)))
    (type (;81;) (func (param "s" 57) (result 57)))
    (export (;33;) "echo-shape" (func 11) (func (type 81)))
    (type (;82;) (func (param "c" 58) (result 58)))
    (export (;34;) "echo-color" (func 12) (func (type 82)))
    (type (;83;) (func (param "p" 59) (result 59)))
    (export (;35;) "echo-perms" (func 13) (func (type 83)))
    (type (;84;) (func (param "m" 63) (result 63)))
    (export (;36;) "echo-many" (func 14) (func (type 84)))
    (type (;85;) (option u32))
    (type (;86;) (option 85))
    (type (;87;) (func (param "o" 86) (result 86)))
    (export (;37;) "echo-opt" (func 15) (func (type 87)))
    (type (;88;) (result u32 (error string)))
    (type (;89;) (list 88))
    (type (;90;) (func (param "r" 89) (result 89)))
    (export (;38;) "echo-results" (func 16) (func (type 90)))
    (type (;91;) (func (param "p" 55) (result 55)))
    (export (;39;) "echo-pt" (func 17) (func (type 91)))
    (type (;92;) (func (param "o" 56) (result 56)))
    (export (;40;) "echo-offset" (func 18) (func (type 92)))
    (type (;93;) (result s32 (error string)))
    (type (;94;) (func (param "a" s32) (param "b" s32) (result 93)))
    (export (;41;) "checked-div" (func 19) (func (type 94)))
    (type (;95;) (func (param "a1" u32) (param "a2" u32) (param "a3" u32) (param "a4" u32) (param "a5" u32) (param "a6" u32) (param "a7" u32) (param "a8" u32) (param "a9" u32) (param "a10" u32) (param "a11" u32) (param "a12" u32) (param "a13" u32) (param "a14" u32) (param "a15" u32) (param "a16" u32) (param "a17" u32) (result u64)))
    (export (;42;) "many-args" (func 20) (func (type 95)))
    (type (;96;) (func))
    (export (;43;) "nothing" (func 21) (func (type 96)))
  )
  (instance $example:kitchen/api@0.1.0-shim-instance (;1;) (instantiate $example:kitchen/api@0.1.0-shim-component
      (with "import-constructor-counter" (func $"[constructor]counter"))
      (with "import-method-counter-get" (func $"[method]counter.get"))
      (with "import-method-counter-incr" (func $"[method]counter.incr"))
      (with "import-static-counter-merge" (func $"[static]counter.merge"))
      (with "import-func-live-counters" (func $live-counters))
      (with "import-func-add" (func $add))
      (with "import-func-echo-scalars" (func $echo-scalars))
      (with "import-func-echo-string" (func $echo-string))
      (with "import-func-echo-bytes" (func $echo-bytes))
      (with "import-func-echo-points" (func $echo-points))
      (with "import-func-echo-tuple" (func $echo-tuple))
      (with "import-func-echo-shape" (func $echo-shape))
      (with "import-func-echo-color" (func $echo-color))
      (with "import-func-echo-perms" (func $echo-perms))
      (with "import-func-echo-many" (func $echo-many))
      (with "import-func-echo-opt" (func $echo-opt))
      (with "import-func-echo-results" (func $echo-results))
      (with "import-func-echo-pt" (func $echo-pt))
      (with "import-func-echo-offset" (func $echo-offset))
      (with "import-func-checked-div" (func $checked-div))
      (with "import-func-many-args" (func $many-args))
      (with "import-func-nothing" (func $nothing))
      (with "import-type-point" (type $point))
      (with "import-type-pt" (type $pt))
      (with "import-type-offset" (type $offset))
      (with "import-type-shape" (type $shape))
      (with "import-type-color" (type $color))
      (with "import-type-perms" (type $perms))
      (with "import-type-counter" (type $counter))
      (with "import-type-all-scalars" (type 7))
      (with "import-type-point0" (type $point))
      (with "import-type-shape0" (type $shape))
      (with "import-type-color0" (type $color))
      (with "import-type-perms0" (type $perms))
      (with "import-type-many" (type 8))
      (with "import-type-pt0" (type $pt))
      (with "import-type-offset0" (type $offset))
    )
  )
  (export $example:kitchen/api@0.1.0 (;2;) "example:kitchen/api@0.1.0" (instance $example:kitchen/api@0.1.0-shim-instance))
  (@producers
    (processed-by "wit-component" "0.262.0")
  )
)
