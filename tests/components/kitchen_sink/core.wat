;; Hand-written core module for the `kitchen-sink` world (see wit/kitchen.wit),
;; following wit-component's legacy names and the Canonical ABI.
;;
;; Memory layout:
;;   16     "0.1.0"              (version)
;;   32     "division by zero"   (checked-div's error)
;;   64     the return area: one per call, at most 56 bytes (all-scalars)
;;   1024   counter cells, 4 bytes each (the value); a freed cell holds the
;;          next free cell (free list) - apart from the heap so that a
;;          post-return heap reset never touches a live counter
;;   65536  the heap: a bump allocator for cabi_realloc, reset by post-return
(module
  (import "[export]example:kitchen/api@0.1.0" "[resource-new]counter"
    (func $counter_new (param i32) (result i32)))
  (import "[export]example:kitchen/api@0.1.0" "[resource-rep]counter"
    (func $counter_rep (param i32) (result i32)))
  (import "[export]example:kitchen/api@0.1.0" "[resource-drop]counter"
    (func $counter_drop (param i32)))

  (memory (export "memory") 2)
  (data (i32.const 16) "0.1.0")
  (data (i32.const 32) "division by zero")

  (global $heap (mut i32) (i32.const 65536))
  (global $live (mut i32) (i32.const 0))
  (global $free (mut i32) (i32.const 0))
  (global $next_cell (mut i32) (i32.const 1024))

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

  ;; Post-return: everything the call allocated is dead once the host has
  ;; lifted the results.
  (func $post (param i32) (global.set $heap (i32.const 65536)))
  (func $post_i64 (param i64) (global.set $heap (i32.const 65536)))
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

  ;; version: func() -> string; a string result is two flat values, more
  ;; than MAX_FLAT_RESULTS, so it goes through the return area.
  (func (export "version") (result i32)
    (i32.store (i32.const 64) (i32.const 16))
    (i32.store (i32.const 68) (i32.const 5))
    (i32.const 64))

  ;; ---- resource counter -------------------------------------------------

  (func $cell_alloc (param $value i32) (result i32)
    (local $p i32)
    (if (global.get $free)
      (then
        (local.set $p (global.get $free))
        (global.set $free (i32.load (local.get $p))))
      (else
        (if (i32.ge_u (global.get $next_cell) (i32.const 65536)) (then unreachable))
        (local.set $p (global.get $next_cell))
        (global.set $next_cell (i32.add (global.get $next_cell) (i32.const 4)))))
    (i32.store (local.get $p) (local.get $value))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (local.get $p))

  ;; The rep of a counter is the address of its cell.
  (func (export "example:kitchen/api@0.1.0#[constructor]counter")
    (param $start i32) (result i32)
    (call $counter_new (call $cell_alloc (local.get $start))))

  ;; `self` is a borrow of a resource this component defines: it arrives as
  ;; the rep, not as a handle.
  (func (export "example:kitchen/api@0.1.0#[method]counter.get")
    (param $self i32) (result i32)
    (i32.load (local.get $self)))

  (func (export "example:kitchen/api@0.1.0#[method]counter.incr")
    (param $self i32) (param $by i32) (result i32)
    (i32.store (local.get $self) (i32.add (i32.load (local.get $self)) (local.get $by)))
    (i32.load (local.get $self)))

  ;; `a` is a borrow (a rep); `b` is an own (a handle): read it through
  ;; resource.rep, then drop it, which runs the destructor below.
  (func (export "example:kitchen/api@0.1.0#[static]counter.merge")
    (param $a i32) (param $b i32) (result i32)
    (local $sum i32)
    (local.set $sum
      (i32.add (i32.load (local.get $a))
               (i32.load (call $counter_rep (local.get $b)))))
    (call $counter_drop (local.get $b))
    (call $counter_new (call $cell_alloc (local.get $sum))))

  (func (export "example:kitchen/api@0.1.0#[dtor]counter") (param $rep i32)
    (i32.store (local.get $rep) (global.get $free))
    (global.set $free (local.get $rep))
    (global.set $live (i32.sub (global.get $live) (i32.const 1))))

  (func (export "example:kitchen/api@0.1.0#live-counters") (result i32)
    (global.get $live))

  ;; ---- identities ---------------------------------------------------------

  (func (export "example:kitchen/api@0.1.0#add")
    (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))

  ;; all-scalars flattens to 12 values (bool..u32 as i32, s64/u64 as i64,
  ;; f32, f64, char as i32); in memory: b@0 a8@1 b8@2 a16@4 b16@6 a32@8
  ;; b32@12 a64@16 b64@24 f@32 d@40 c@48, size 56, align 8.
  (func (export "example:kitchen/api@0.1.0#echo-scalars")
    (param $b i32) (param $a8 i32) (param $b8 i32) (param $a16 i32) (param $b16 i32)
    (param $a32 i32) (param $b32 i32) (param $a64 i64) (param $b64 i64)
    (param $f f32) (param $d f64) (param $c i32) (result i32)
    (i32.store8 offset=0 (i32.const 64) (local.get $b))
    (i32.store8 offset=1 (i32.const 64) (local.get $a8))
    (i32.store8 offset=2 (i32.const 64) (local.get $b8))
    (i32.store16 offset=4 (i32.const 64) (local.get $a16))
    (i32.store16 offset=6 (i32.const 64) (local.get $b16))
    (i32.store offset=8 (i32.const 64) (local.get $a32))
    (i32.store offset=12 (i32.const 64) (local.get $b32))
    (i64.store offset=16 (i32.const 64) (local.get $a64))
    (i64.store offset=24 (i32.const 64) (local.get $b64))
    (f32.store offset=32 (i32.const 64) (local.get $f))
    (f64.store offset=40 (i32.const 64) (local.get $d))
    (i32.store offset=48 (i32.const 64) (local.get $c))
    (i32.const 64))

  ;; A list or string arrives as (ptr, len) in memory the host allocated
  ;; with cabi_realloc; echoing it hands the same block back.
  (func $echo_ptr_len (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 64) (local.get $ptr))
    (i32.store (i32.const 68) (local.get $len))
    (i32.const 64))
  (func (export "example:kitchen/api@0.1.0#echo-string")
    (param i32 i32) (result i32)
    (call $echo_ptr_len (local.get 0) (local.get 1)))
  (func (export "example:kitchen/api@0.1.0#echo-bytes")
    (param i32 i32) (result i32)
    (call $echo_ptr_len (local.get 0) (local.get 1)))
  ;; list<point>: elements of 8 bytes (x@0, y@4)
  (func (export "example:kitchen/api@0.1.0#echo-points")
    (param i32 i32) (result i32)
    (call $echo_ptr_len (local.get 0) (local.get 1)))
  ;; list<result<u32, string>>: elements of 12 bytes (tag@0, u32 or ptr@4, len@8);
  ;; the strings inside are host-allocated blocks in this memory too.
  (func (export "example:kitchen/api@0.1.0#echo-results")
    (param i32 i32) (result i32)
    (call $echo_ptr_len (local.get 0) (local.get 1)))

  ;; tuple<u8, string>: flat (i32, i32, i32); in memory u8@0, ptr@4, len@8.
  (func (export "example:kitchen/api@0.1.0#echo-tuple")
    (param $a i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store8 offset=0 (i32.const 64) (local.get $a))
    (i32.store offset=4 (i32.const 64) (local.get $ptr))
    (i32.store offset=8 (i32.const 64) (local.get $len))
    (i32.const 64))

  ;; shape flattens to (disc i32, i64, i32): the first payload slot joins
  ;; circle's f64 with the i32 of rect.x / named.ptr into i64 (the f64 comes
  ;; reinterpreted, an i32 zero-extended); the second holds rect.y / named.len.
  ;; In memory: disc@0 (u8), payload@8 (align 8), size 16.
  (func (export "example:kitchen/api@0.1.0#echo-shape")
    (param $disc i32) (param $p0 i64) (param $p1 i32) (result i32)
    (i32.store8 (i32.const 64) (local.get $disc))
    (block $done
      (br_if $done (i32.eqz (local.get $disc)))  ;; none
      (if (i32.eq (local.get $disc) (i32.const 1))  ;; circle(f64)
        (then
          (f64.store offset=8 (i32.const 64) (f64.reinterpret_i64 (local.get $p0)))
          (br $done)))
      ;; rect(point) and named(string): two i32s
      (i32.store offset=8 (i32.const 64) (i32.wrap_i64 (local.get $p0)))
      (i32.store offset=12 (i32.const 64) (local.get $p1)))
    (i32.const 64))

  ;; enum, 3 flags and 32 flags: one i32 each.
  (func (export "example:kitchen/api@0.1.0#echo-color") (param i32) (result i32)
    (local.get 0))
  (func (export "example:kitchen/api@0.1.0#echo-perms") (param i32) (result i32)
    (local.get 0))
  (func (export "example:kitchen/api@0.1.0#echo-many") (param i32) (result i32)
    (local.get 0))

  ;; option<option<u32>>: flat (outer disc, inner disc, value); in memory
  ;; outer@0, inner@4, value@8, size 12.
  (func (export "example:kitchen/api@0.1.0#echo-opt")
    (param $outer i32) (param $inner i32) (param $v i32) (result i32)
    (i32.store8 offset=0 (i32.const 64) (local.get $outer))
    (i32.store8 offset=4 (i32.const 64) (local.get $inner))
    (i32.store offset=8 (i32.const 64) (local.get $v))
    (i32.const 64))

  ;; pt (an alias of point) and offset: flat (x, y); in memory x@0, y@4.
  (func $echo_xy (param $x i32) (param $y i32) (result i32)
    (i32.store offset=0 (i32.const 64) (local.get $x))
    (i32.store offset=4 (i32.const 64) (local.get $y))
    (i32.const 64))
  (func (export "example:kitchen/api@0.1.0#echo-pt") (param i32 i32) (result i32)
    (call $echo_xy (local.get 0) (local.get 1)))
  (func (export "example:kitchen/api@0.1.0#echo-offset") (param i32 i32) (result i32)
    (call $echo_xy (local.get 0) (local.get 1)))

  ;; result<s32, string>: disc@0, s32 or (ptr@4, len@8), size 12.
  ;; i32.div_s traps on s32::MIN / -1: kept on purpose.
  (func (export "example:kitchen/api@0.1.0#checked-div")
    (param $a i32) (param $b i32) (result i32)
    (if (i32.eqz (local.get $b))
      (then
        (i32.store8 (i32.const 64) (i32.const 1))
        (i32.store offset=4 (i32.const 64) (i32.const 32))
        (i32.store offset=8 (i32.const 64) (i32.const 16)))
      (else
        (i32.store8 (i32.const 64) (i32.const 0))
        (i32.store offset=4 (i32.const 64) (i32.div_s (local.get $a) (local.get $b)))))
    (i32.const 64))

  ;; 17 flat params exceed MAX_FLAT_PARAMS (16): the host stores them as a
  ;; tuple of 17 u32 in memory it allocated and passes one pointer.
  (func (export "example:kitchen/api@0.1.0#many-args")
    (param $args i32) (result i64)
    (local $i i32) (local $sum i64)
    (loop $next
      (local.set $sum
        (i64.add (local.get $sum)
          (i64.extend_i32_u
            (i32.load (i32.add (local.get $args) (i32.shl (local.get $i) (i32.const 2)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 17))))
    (local.get $sum))

  (func (export "example:kitchen/api@0.1.0#nothing"))
)
