;; The same plugin built from an OLDER version of the acme WIT (the document's
;; `body` field was `text`): the bindings refuse it before compiling it.
;; `wasm-tools print` of the build of tests/components/plugin_wat_old. Do not
;; edit; regenerate with `python scripts/regen_examples.py`.
(component
  (type $ty-acme:plugins/host@0.1.0 (;0;)
    (instance
      (type (;0;) (enum "debug" "info" "warning" "error"))
      (export (;1;) "severity" (type (eq 0)))
      (export (;2;) "kv-store" (type (sub resource)))
      (type (;3;) (own 2))
      (type (;4;) (func (param "name" string) (result 3)))
      (export (;0;) "[constructor]kv-store" (func (type 4)))
      (type (;5;) (borrow 2))
      (type (;6;) (option string))
      (type (;7;) (func (param "self" 5) (param "key" string) (result 6)))
      (export (;1;) "[method]kv-store.get" (func (type 7)))
      (type (;8;) (func (param "self" 5) (param "key" string) (param "value" string)))
      (export (;2;) "[method]kv-store.set" (func (type 8)))
      (type (;9;) (func (param "level" 1) (param "message" string)))
      (export (;3;) "log" (func (type 9)))
    )
  )
  (import "acme:plugins/host@0.1.0" (instance $acme:plugins/host@0.1.0 (;0;) (type $ty-acme:plugins/host@0.1.0)))
  (core module $main (;0;)
    (type (;0;) (func (param i32 i32 i32)))
    (type (;1;) (func (param i32 i32) (result i32)))
    (type (;2;) (func (param i32 i32 i32 i32)))
    (type (;3;) (func (param i32 i32 i32 i32 i32)))
    (type (;4;) (func (param i32)))
    (type (;5;) (func (param i32) (result i32)))
    (type (;6;) (func (param i32 i32 i32 i32) (result i32)))
    (type (;7;) (func (param i32 i32 i32) (result i32)))
    (type (;8;) (func))
    (type (;9;) (func (result i32)))
    (type (;10;) (func (param i32 i32 i32 i32 i32 i32) (result i32)))
    (type (;11;) (func (param i64) (result i64)))
    (type (;12;) (func (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
    (import "acme:plugins/host@0.1.0" "log" (func $log (;0;) (type 0) (param i32 i32 i32)))
    (import "acme:plugins/host@0.1.0" "[constructor]kv-store" (func $kv_new (;1;) (type 1) (param i32 i32) (result i32)))
    (import "acme:plugins/host@0.1.0" "[method]kv-store.get" (func $kv_get (;2;) (type 2) (param i32 i32 i32 i32)))
    (import "acme:plugins/host@0.1.0" "[method]kv-store.set" (func $kv_set (;3;) (type 3) (param i32 i32 i32 i32 i32)))
    (import "acme:plugins/host@0.1.0" "[resource-drop]kv-store" (func $kv_drop (;4;) (type 4) (param i32)))
    (import "[export]acme:plugins/plugin@0.1.0" "[resource-new]session" (func $session_new (;5;) (type 5) (param i32) (result i32)))
    (memory (;0;) 2)
    (global $heap (;0;) (mut i32) i32.const 65536)
    (global $free (;1;) (mut i32) i32.const 0)
    (global $next_cell (;2;) (mut i32) i32.const 1024)
    (global $names (;3;) (mut i32) i32.const 16384)
    (export "memory" (memory 0))
    (export "cabi_realloc" (func $realloc))
    (export "cabi_post_acme:plugins/plugin@0.1.0#describe" (func $post))
    (export "cabi_post_acme:plugins/plugin@0.1.0#transform" (func $post))
    (export "cabi_post_acme:plugins/plugin@0.1.0#review" (func $post))
    (export "cabi_post_acme:plugins/plugin@0.1.0#stats" (func $post))
    (export "cabi_post_acme:plugins/plugin@0.1.0#[constructor]session" (func $post))
    (export "cabi_post_acme:plugins/plugin@0.1.0#[method]session.add" (func $post))
    (export "cabi_post_acme:plugins/plugin@0.1.0#[method]session.lookup" (func $post))
    (export "cabi_post_acme:plugins/plugin@0.1.0#[method]session.note" (func $post0))
    (export "acme:plugins/plugin@0.1.0#describe" (func 11))
    (export "acme:plugins/plugin@0.1.0#transform" (func 12))
    (export "acme:plugins/plugin@0.1.0#review" (func 14))
    (export "acme:plugins/plugin@0.1.0#stats" (func 15))
    (export "acme:plugins/plugin@0.1.0#spin" (func 16))
    (export "acme:plugins/plugin@0.1.0#[constructor]session" (func 18))
    (export "acme:plugins/plugin@0.1.0#[method]session.add" (func 19))
    (export "acme:plugins/plugin@0.1.0#[method]session.lookup" (func 20))
    (export "acme:plugins/plugin@0.1.0#[method]session.note" (func 21))
    (export "acme:plugins/plugin@0.1.0#[method]session.crash" (func 22))
    (export "acme:plugins/plugin@0.1.0#[dtor]session" (func 23))
    (func $realloc (;6;) (type 6) (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
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
    (func $alloc (;7;) (type 5) (param $size i32) (result i32)
      i32.const 0
      i32.const 0
      i32.const 4
      local.get $size
      call $realloc
    )
    (func $append (;8;) (type 7) (param $dst i32) (param $src i32) (param $len i32) (result i32)
      local.get $dst
      local.get $src
      local.get $len
      memory.copy
      local.get $dst
      local.get $len
      i32.add
    )
    (func $post (;9;) (type 4) (param i32)
      i32.const 65536
      global.set $heap
    )
    (func $post0 (;10;) (type 8)
      i32.const 65536
      global.set $heap
    )
    (func (;11;) (type 9) (result i32)
      i32.const 64
      i32.const 16
      i32.store
      i32.const 64
      i32.const 9
      i32.store offset=4
      i32.const 64
      i32.const 7
      i32.store8 offset=8
      i32.const 64
    )
    (func (;12;) (type 10) (param $tp i32) (param $tl i32) (param $bp i32) (param $bl i32) (param $gp i32) (param $gl i32) (result i32)
      (local $title i32) (local $i i32) (local $c i32) (local $tags i32)
      local.get $tl
      call $alloc
      local.set $title
      block $done
        loop $next
          local.get $i
          local.get $tl
          i32.ge_u
          br_if $done
          local.get $tp
          local.get $i
          i32.add
          i32.load8_u
          local.set $c
          local.get $c
          i32.const 97
          i32.ge_u
          local.get $c
          i32.const 122
          i32.le_u
          i32.and
          if ;; label = @3
            local.get $c
            i32.const 32
            i32.sub
            local.set $c
          end
          local.get $title
          local.get $i
          i32.add
          local.get $c
          i32.store8
          local.get $i
          i32.const 1
          i32.add
          local.set $i
          br $next
        end
      end
      local.get $gl
      i32.const 1
      i32.add
      i32.const 3
      i32.shl
      call $alloc
      local.set $tags
      local.get $tags
      local.get $gp
      local.get $gl
      i32.const 3
      i32.shl
      memory.copy
      local.get $tags
      local.get $gl
      i32.const 3
      i32.shl
      i32.add
      i32.const 16
      i32.store
      local.get $tags
      local.get $gl
      i32.const 3
      i32.shl
      i32.add
      i32.const 9
      i32.store offset=4
      i32.const 64
      local.get $title
      i32.store
      i32.const 64
      local.get $tl
      i32.store offset=4
      i32.const 64
      local.get $bp
      i32.store offset=8
      i32.const 64
      local.get $bl
      i32.store offset=12
      i32.const 64
      local.get $tags
      i32.store offset=16
      i32.const 64
      local.get $gl
      i32.const 1
      i32.add
      i32.store offset=20
      i32.const 64
    )
    (func $is_space (;13;) (type 5) (param $c i32) (result i32)
      local.get $c
      i32.const 32
      i32.eq
      local.get $c
      i32.const 9
      i32.ge_u
      local.get $c
      i32.const 13
      i32.le_u
      i32.and
      i32.or
    )
    (func (;14;) (type 10) (param $tp i32) (param $tl i32) (param $bp i32) (param $bl i32) (param $gp i32) (param $gl i32) (result i32)
      (local $msg i32) (local $end i32)
      local.get $tl
      i32.eqz
      if ;; label = @1
        i32.const 64
        i32.const 2
        i32.store8
        i32.const 64
        return
      end
      local.get $gl
      i32.eqz
      if ;; label = @1
        local.get $tl
        i32.const 31
        i32.add
        call $alloc
        local.set $msg
        local.get $msg
        i32.const 128
        i32.const 21
        call $append
        local.set $end
        local.get $end
        local.get $tp
        local.get $tl
        call $append
        local.set $end
        local.get $end
        i32.const 160
        i32.const 10
        call $append
        local.set $end
        i32.const 2
        local.get $msg
        local.get $end
        local.get $msg
        i32.sub
        call $log
        i32.const 64
        i32.const 1
        i32.store8
        i32.const 64
        i32.const 32
        i32.store offset=4
        i32.const 64
        i32.const 7
        i32.store offset=8
        i32.const 64
        return
      end
      block $done
        loop $next
          local.get $bl
          i32.eqz
          br_if $done
          local.get $bp
          i32.load8_u
          call $is_space
          i32.eqz
          br_if $done
          local.get $bp
          i32.const 1
          i32.add
          local.set $bp
          local.get $bl
          i32.const 1
          i32.sub
          local.set $bl
          br $next
        end
      end
      block $done
        loop $next
          local.get $bl
          i32.eqz
          br_if $done
          local.get $bp
          local.get $bl
          i32.add
          i32.const 1
          i32.sub
          i32.load8_u
          call $is_space
          i32.eqz
          br_if $done
          local.get $bl
          i32.const 1
          i32.sub
          local.set $bl
          br $next
        end
      end
      i32.const 64
      i32.const 0
      i32.store8
      i32.const 64
      local.get $tp
      i32.store offset=4
      i32.const 64
      local.get $tl
      i32.store offset=8
      i32.const 64
      local.get $bp
      i32.store offset=12
      i32.const 64
      local.get $bl
      i32.store offset=16
      i32.const 64
      local.get $gp
      i32.store offset=20
      i32.const 64
      local.get $gl
      i32.store offset=24
      i32.const 64
    )
    (func (;15;) (type 1) (param $ptr i32) (param $len i32) (result i32)
      (local $i i32) (local $bytes i64)
      block $done
        loop $next
          local.get $i
          local.get $len
          i32.ge_u
          br_if $done
          local.get $bytes
          local.get $ptr
          local.get $i
          i32.const 24
          i32.mul
          i32.add
          i32.load offset=12
          i64.extend_i32_u
          i64.add
          local.set $bytes
          local.get $i
          i32.const 1
          i32.add
          local.set $i
          br $next
        end
      end
      i32.const 64
      local.get $len
      i32.store
      i32.const 64
      local.get $bytes
      i64.store offset=8
      i32.const 64
    )
    (func (;16;) (type 11) (param $rounds i64) (result i64)
      (local $i i64)
      block $done
        loop $next
          local.get $rounds
          i64.const 0
          i64.ne
          local.get $i
          local.get $rounds
          i64.ge_u
          i32.and
          br_if $done
          local.get $i
          i64.const 1
          i64.add
          local.set $i
          br $next
        end
      end
      local.get $i
    )
    (func $cell_alloc (;17;) (type 9) (result i32)
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
        i32.const 16384
        i32.ge_u
        if ;; label = @2
          unreachable
        end
        global.get $next_cell
        local.set $p
        global.get $next_cell
        i32.const 16
        i32.add
        global.set $next_cell
      end
      local.get $p
    )
    (func (;18;) (type 1) (param $up i32) (param $ul i32) (result i32)
      (local $cell i32) (local $name i32) (local $buf i32) (local $end i32)
      global.get $names
      local.get $ul
      i32.add
      i32.const 65536
      i32.gt_u
      if ;; label = @1
        unreachable
      end
      global.get $names
      local.set $name
      local.get $name
      local.get $up
      local.get $ul
      call $append
      global.set $names
      call $cell_alloc
      local.set $cell
      local.get $ul
      i32.const 19
      i32.add
      call $alloc
      local.set $buf
      local.get $buf
      i32.const 48
      i32.const 8
      call $append
      local.set $end
      local.get $end
      local.get $name
      local.get $ul
      call $append
      local.set $end
      local.get $cell
      local.get $buf
      local.get $end
      local.get $buf
      i32.sub
      call $kv_new
      i32.store
      local.get $cell
      i32.const 0
      i32.store offset=4
      local.get $cell
      local.get $name
      i32.store offset=8
      local.get $cell
      local.get $ul
      i32.store offset=12
      local.get $buf
      i32.const 96
      i32.const 19
      call $append
      local.set $end
      local.get $end
      local.get $name
      local.get $ul
      call $append
      local.set $end
      i32.const 1
      local.get $buf
      local.get $end
      local.get $buf
      i32.sub
      call $log
      local.get $cell
      call $session_new
    )
    (func (;19;) (type 12) (param $self i32) (param $tp i32) (param $tl i32) (param $bp i32) (param $bl i32) (param $gp i32) (param $gl i32) (result i32)
      local.get $self
      i32.load
      local.get $tp
      local.get $tl
      local.get $bp
      local.get $bl
      call $kv_set
      local.get $self
      local.get $self
      i32.load offset=4
      i32.const 1
      i32.add
      i32.store offset=4
      local.get $self
      i32.load offset=4
    )
    (func (;20;) (type 7) (param $self i32) (param $tp i32) (param $tl i32) (result i32)
      local.get $self
      i32.load
      local.get $tp
      local.get $tl
      i32.const 64
      call $kv_get
      i32.const 64
    )
    (func (;21;) (type 2) (param $self i32) (param $level i32) (param $mp i32) (param $ml i32)
      (local $buf i32) (local $end i32)
      local.get $self
      i32.load offset=12
      local.get $ml
      i32.add
      i32.const 2
      i32.add
      call $alloc
      local.set $buf
      local.get $buf
      local.get $self
      i32.load offset=8
      local.get $self
      i32.load offset=12
      call $append
      local.set $end
      local.get $end
      i32.const 176
      i32.const 2
      call $append
      local.set $end
      local.get $end
      local.get $mp
      local.get $ml
      call $append
      local.set $end
      local.get $level
      local.get $buf
      local.get $end
      local.get $buf
      i32.sub
      call $log
    )
    (func (;22;) (type 4) (param $self i32)
      unreachable
    )
    (func (;23;) (type 4) (param $rep i32)
      local.get $rep
      i32.load
      call $kv_drop
      local.get $rep
      global.get $free
      i32.store
      local.get $rep
      global.set $free
    )
    (data (;0;) (i32.const 16) "wat-upper")
    (data (;1;) (i32.const 32) "no tags")
    (data (;2;) (i32.const 48) "session:")
    (data (;3;) (i32.const 96) "session opened for ")
    (data (;4;) (i32.const 128) "wat-upper: rejected '")
    (data (;5;) (i32.const 160) "': no tags")
    (data (;6;) (i32.const 176) ": ")
    (@producers
      (processed-by "wit-component" "0.262.0")
    )
  )
  (core module $wit-component-shim-module (;1;)
    (type (;0;) (func (param i32 i32 i32)))
    (type (;1;) (func (param i32 i32) (result i32)))
    (type (;2;) (func (param i32 i32 i32 i32)))
    (type (;3;) (func (param i32 i32 i32 i32 i32)))
    (type (;4;) (func (param i32)))
    (table (;0;) 5 5 funcref)
    (export "0" (func $indirect-acme:plugins/host@0.1.0-log))
    (export "1" (func $"indirect-acme:plugins/host@0.1.0-[constructor]kv-store"))
    (export "2" (func $"indirect-acme:plugins/host@0.1.0-[method]kv-store.get"))
    (export "3" (func $"indirect-acme:plugins/host@0.1.0-[method]kv-store.set"))
    (export "4" (func $dtor-session))
    (export "$imports" (table 0))
    (func $indirect-acme:plugins/host@0.1.0-log (;0;) (type 0) (param i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      i32.const 0
      call_indirect (type 0)
    )
    (func $"indirect-acme:plugins/host@0.1.0-[constructor]kv-store" (;1;) (type 1) (param i32 i32) (result i32)
      local.get 0
      local.get 1
      i32.const 1
      call_indirect (type 1)
    )
    (func $"indirect-acme:plugins/host@0.1.0-[method]kv-store.get" (;2;) (type 2) (param i32 i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      i32.const 2
      call_indirect (type 2)
    )
    (func $"indirect-acme:plugins/host@0.1.0-[method]kv-store.set" (;3;) (type 3) (param i32 i32 i32 i32 i32)
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      local.get 4
      i32.const 3
      call_indirect (type 3)
    )
    (func $dtor-session (;4;) (type 4) (param i32)
      local.get 0
      i32.const 4
      call_indirect (type 4)
    )
    (@producers
      (processed-by "wit-component" "0.262.0")
    )
  )
  (core instance $wit-component-shim-instance (;0;) (instantiate $wit-component-shim-module))
  (alias export $acme:plugins/host@0.1.0 "severity" (type $severity (;1;)))
  (type (;2;) (list string))
  (type (;3;) (record (field "title" string) (field "text" string) (field "tags" 2)))
  (type (;4;) (variant (case "accepted" 3) (case "rejected" string) (case "skipped")))
  (type (;5;) (flags "transform" "review" "sessions"))
  (alias core export $wit-component-shim-instance "4" (core func $dtor-session (;0;)))
  (type $session (;6;) (resource (rep i32) (dtor $dtor-session)))
  (alias core export $wit-component-shim-instance "0" (core func $indirect-acme:plugins/host@0.1.0-log (;1;)))
  (alias core export $wit-component-shim-instance "1" (core func $"indirect-acme:plugins/host@0.1.0-[constructor]kv-store" (;2;)))
  (alias core export $wit-component-shim-instance "2" (core func $"indirect-acme:plugins/host@0.1.0-[method]kv-store.get" (;3;)))
  (alias core export $wit-component-shim-instance "3" (core func $"indirect-acme:plugins/host@0.1.0-[method]kv-store.set" (;4;)))
  (alias export $acme:plugins/host@0.1.0 "kv-store" (type $kv-store (;7;)))
  (core func $resource.drop (;5;) (canon resource.drop $kv-store))
  (core instance $acme:plugins/host@0.1.0 (;1;)
    (export "log" (func $indirect-acme:plugins/host@0.1.0-log))
    (export "[constructor]kv-store" (func $"indirect-acme:plugins/host@0.1.0-[constructor]kv-store"))
    (export "[method]kv-store.get" (func $"indirect-acme:plugins/host@0.1.0-[method]kv-store.get"))
    (export "[method]kv-store.set" (func $"indirect-acme:plugins/host@0.1.0-[method]kv-store.set"))
    (export "[resource-drop]kv-store" (func $resource.drop))
  )
  (core func $resource.new (;6;) (canon resource.new $session))
  (core instance $"[export]acme:plugins/plugin@0.1.0" (;2;)
    (export "[resource-new]session" (func $resource.new))
  )
  (core instance $main (;3;) (instantiate $main
      (with "acme:plugins/host@0.1.0" (instance $acme:plugins/host@0.1.0))
      (with "[export]acme:plugins/plugin@0.1.0" (instance $"[export]acme:plugins/plugin@0.1.0"))
    )
  )
  (alias core export $main "memory" (core memory $memory (;0;)))
  (core module $wit-component-fixup (;2;)
    (type (;0;) (func (param i32 i32 i32)))
    (type (;1;) (func (param i32 i32) (result i32)))
    (type (;2;) (func (param i32 i32 i32 i32)))
    (type (;3;) (func (param i32 i32 i32 i32 i32)))
    (type (;4;) (func (param i32)))
    (import "actual" "0" (func $0 (;0;) (type 0) (param i32 i32 i32)))
    (import "actual" "1" (func $1 (;1;) (type 1) (param i32 i32) (result i32)))
    (import "actual" "2" (func $2 (;2;) (type 2) (param i32 i32 i32 i32)))
    (import "actual" "3" (func $3 (;3;) (type 3) (param i32 i32 i32 i32 i32)))
    (import "actual" "4" (func $4 (;4;) (type 4) (param i32)))
    (import "shim" "$imports" (table (;0;) 5 5 funcref))
    (elem (;0;) (i32.const 0) func $0 $1 $2 $3 $4)
    (@producers
      (processed-by "wit-component" "0.262.0")
    )
  )
  (alias export $acme:plugins/host@0.1.0 "log" (func $log (;0;)))
  (core func $"#core-func7 indirect-acme:plugins/host@0.1.0-log" (@name "indirect-acme:plugins/host@0.1.0-log") (;7;) (canon lower (func $log) (memory $memory) string-encoding=utf8))
  (alias export $acme:plugins/host@0.1.0 "[constructor]kv-store" (func $"[constructor]kv-store" (;1;)))
  (core func $"#core-func8 indirect-acme:plugins/host@0.1.0-[constructor]kv-store" (@name "indirect-acme:plugins/host@0.1.0-[constructor]kv-store") (;8;) (canon lower (func $"[constructor]kv-store") (memory $memory) string-encoding=utf8))
  (alias export $acme:plugins/host@0.1.0 "[method]kv-store.get" (func $"[method]kv-store.get" (;2;)))
  (alias core export $main "cabi_realloc" (core func $cabi_realloc (;9;)))
  (core func $"#core-func10 indirect-acme:plugins/host@0.1.0-[method]kv-store.get" (@name "indirect-acme:plugins/host@0.1.0-[method]kv-store.get") (;10;) (canon lower (func $"[method]kv-store.get") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8))
  (alias export $acme:plugins/host@0.1.0 "[method]kv-store.set" (func $"[method]kv-store.set" (;3;)))
  (core func $"#core-func11 indirect-acme:plugins/host@0.1.0-[method]kv-store.set" (@name "indirect-acme:plugins/host@0.1.0-[method]kv-store.set") (;11;) (canon lower (func $"[method]kv-store.set") (memory $memory) string-encoding=utf8))
  (alias core export $main "acme:plugins/plugin@0.1.0#[dtor]session" (core func $"acme:plugins/plugin@0.1.0#[dtor]session" (;12;)))
  (core instance $actual (;4;)
    (export "0" (func $"#core-func7 indirect-acme:plugins/host@0.1.0-log"))
    (export "1" (func $"#core-func8 indirect-acme:plugins/host@0.1.0-[constructor]kv-store"))
    (export "2" (func $"#core-func10 indirect-acme:plugins/host@0.1.0-[method]kv-store.get"))
    (export "3" (func $"#core-func11 indirect-acme:plugins/host@0.1.0-[method]kv-store.set"))
    (export "4" (func $"acme:plugins/plugin@0.1.0#[dtor]session"))
  )
  (core instance $fixup (;5;) (instantiate $wit-component-fixup
      (with "actual" (instance $actual))
      (with "shim" (instance $wit-component-shim-instance))
    )
  )
  (type (;8;) (own $session))
  (type (;9;) (func (param "user" string) (result 8)))
  (alias core export $main "acme:plugins/plugin@0.1.0#[constructor]session" (core func $"acme:plugins/plugin@0.1.0#[constructor]session" (;13;)))
  (alias core export $main "cabi_post_acme:plugins/plugin@0.1.0#[constructor]session" (core func $"cabi_post_acme:plugins/plugin@0.1.0#[constructor]session" (;14;)))
  (func $"[constructor]session" (;4;) (type 9) (canon lift (core func $"acme:plugins/plugin@0.1.0#[constructor]session") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $"cabi_post_acme:plugins/plugin@0.1.0#[constructor]session")))
  (type (;10;) (borrow $session))
  (type (;11;) (func (param "self" 10) (param "doc" 3) (result u32)))
  (alias core export $main "acme:plugins/plugin@0.1.0#[method]session.add" (core func $"acme:plugins/plugin@0.1.0#[method]session.add" (;15;)))
  (alias core export $main "cabi_post_acme:plugins/plugin@0.1.0#[method]session.add" (core func $"cabi_post_acme:plugins/plugin@0.1.0#[method]session.add" (;16;)))
  (func $"[method]session.add" (;5;) (type 11) (canon lift (core func $"acme:plugins/plugin@0.1.0#[method]session.add") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $"cabi_post_acme:plugins/plugin@0.1.0#[method]session.add")))
  (type (;12;) (option string))
  (type (;13;) (func (param "self" 10) (param "title" string) (result 12)))
  (alias core export $main "acme:plugins/plugin@0.1.0#[method]session.lookup" (core func $"acme:plugins/plugin@0.1.0#[method]session.lookup" (;17;)))
  (alias core export $main "cabi_post_acme:plugins/plugin@0.1.0#[method]session.lookup" (core func $"cabi_post_acme:plugins/plugin@0.1.0#[method]session.lookup" (;18;)))
  (func $"[method]session.lookup" (;6;) (type 13) (canon lift (core func $"acme:plugins/plugin@0.1.0#[method]session.lookup") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $"cabi_post_acme:plugins/plugin@0.1.0#[method]session.lookup")))
  (type (;14;) (func (param "self" 10) (param "level" $severity) (param "message" string)))
  (alias core export $main "acme:plugins/plugin@0.1.0#[method]session.note" (core func $"acme:plugins/plugin@0.1.0#[method]session.note" (;19;)))
  (alias core export $main "cabi_post_acme:plugins/plugin@0.1.0#[method]session.note" (core func $"cabi_post_acme:plugins/plugin@0.1.0#[method]session.note" (;20;)))
  (func $"[method]session.note" (;7;) (type 14) (canon lift (core func $"acme:plugins/plugin@0.1.0#[method]session.note") (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $"cabi_post_acme:plugins/plugin@0.1.0#[method]session.note")))
  (type (;15;) (func (param "self" 10)))
  (alias core export $main "acme:plugins/plugin@0.1.0#[method]session.crash" (core func $"acme:plugins/plugin@0.1.0#[method]session.crash" (;21;)))
  (func $"[method]session.crash" (;8;) (type 15) (canon lift (core func $"acme:plugins/plugin@0.1.0#[method]session.crash")))
  (type (;16;) (tuple string 5))
  (type (;17;) (func (result 16)))
  (alias core export $main "acme:plugins/plugin@0.1.0#describe" (core func $acme:plugins/plugin@0.1.0#describe (;22;)))
  (alias core export $main "cabi_post_acme:plugins/plugin@0.1.0#describe" (core func $cabi_post_acme:plugins/plugin@0.1.0#describe (;23;)))
  (func $describe (;9;) (type 17) (canon lift (core func $acme:plugins/plugin@0.1.0#describe) (memory $memory) string-encoding=utf8 (post-return $cabi_post_acme:plugins/plugin@0.1.0#describe)))
  (type (;18;) (func (param "doc" 3) (result 3)))
  (alias core export $main "acme:plugins/plugin@0.1.0#transform" (core func $acme:plugins/plugin@0.1.0#transform (;24;)))
  (alias core export $main "cabi_post_acme:plugins/plugin@0.1.0#transform" (core func $cabi_post_acme:plugins/plugin@0.1.0#transform (;25;)))
  (func $transform (;10;) (type 18) (canon lift (core func $acme:plugins/plugin@0.1.0#transform) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $cabi_post_acme:plugins/plugin@0.1.0#transform)))
  (type (;19;) (func (param "doc" 3) (result 4)))
  (alias core export $main "acme:plugins/plugin@0.1.0#review" (core func $acme:plugins/plugin@0.1.0#review (;26;)))
  (alias core export $main "cabi_post_acme:plugins/plugin@0.1.0#review" (core func $cabi_post_acme:plugins/plugin@0.1.0#review (;27;)))
  (func $review (;11;) (type 19) (canon lift (core func $acme:plugins/plugin@0.1.0#review) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $cabi_post_acme:plugins/plugin@0.1.0#review)))
  (type (;20;) (list 3))
  (type (;21;) (tuple u32 u64))
  (type (;22;) (func (param "docs" 20) (result 21)))
  (alias core export $main "acme:plugins/plugin@0.1.0#stats" (core func $acme:plugins/plugin@0.1.0#stats (;28;)))
  (alias core export $main "cabi_post_acme:plugins/plugin@0.1.0#stats" (core func $cabi_post_acme:plugins/plugin@0.1.0#stats (;29;)))
  (func $stats (;12;) (type 22) (canon lift (core func $acme:plugins/plugin@0.1.0#stats) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 (post-return $cabi_post_acme:plugins/plugin@0.1.0#stats)))
  (type (;23;) (func (param "rounds" u64) (result u64)))
  (alias core export $main "acme:plugins/plugin@0.1.0#spin" (core func $acme:plugins/plugin@0.1.0#spin (;30;)))
  (func $spin (;13;) (type 23) (canon lift (core func $acme:plugins/plugin@0.1.0#spin)))
  (component $acme:plugins/plugin@0.1.0-shim-component (;0;)
    (type (;0;) (enum "debug" "info" "warning" "error"))
    (import "import-type-severity" (type (;1;) (eq 0)))
    (import "import-type-session" (type (;2;) (sub resource)))
    (type (;3;) (own 2))
    (type (;4;) (func (param "user" string) (result 3)))
    (import "import-constructor-session" (func (;0;) (type 4)))
    (type (;5;) (borrow 2))
    (type (;6;) (list string))
    (type (;7;) (record (field "title" string) (field "text" string) (field "tags" 6)))
    (import "import-type-document" (type (;8;) (eq 7)))
    (type (;9;) (func (param "self" 5) (param "doc" 8) (result u32)))
    (import "import-method-session-add" (func (;1;) (type 9)))
    (type (;10;) (option string))
    (type (;11;) (func (param "self" 5) (param "title" string) (result 10)))
    (import "import-method-session-lookup" (func (;2;) (type 11)))
    (import "import-type-severity0" (type (;12;) (eq 1)))
    (type (;13;) (func (param "self" 5) (param "level" 12) (param "message" string)))
    (import "import-method-session-note" (func (;3;) (type 13)))
    (type (;14;) (func (param "self" 5)))
    (import "import-method-session-crash" (func (;4;) (type 14)))
    (type (;15;) (flags "transform" "review" "sessions"))
    (import "import-type-capabilities" (type (;16;) (eq 15)))
    (type (;17;) (tuple string 16))
    (type (;18;) (func (result 17)))
    (import "import-func-describe" (func (;5;) (type 18)))
    (type (;19;) (func (param "doc" 8) (result 8)))
    (import "import-func-transform" (func (;6;) (type 19)))
    (type (;20;) (variant (case "accepted" 8) (case "rejected" string) (case "skipped")))
    (import "import-type-outcome" (type (;21;) (eq 20)))
    (type (;22;) (func (param "doc" 8) (result 21)))
    (import "import-func-review" (func (;7;) (type 22)))
    (type (;23;) (list 8))
    (type (;24;) (tuple u32 u64))
    (type (;25;) (func (param "docs" 23) (result 24)))
    (import "import-func-stats" (func (;8;) (type 25)))
    (type (;26;) (func (param "rounds" u64) (result u64)))
    (import "import-func-spin" (func (;9;) (type 26)))
    (export (;27;) "severity" (type 1))
    (type (;28;) (list string))
    (type (;29;) (record (field "title" string) (field "text" string) (field "tags" 28)))
    (export (;30;) "document" (type 29))
    (type (;31;) (variant (case "accepted" 30) (case "rejected" string) (case "skipped")))
    (export (;32;) "outcome" (type 31))
    (type (;33;) (flags "transform" "review" "sessions"))
    (export (;34;) "capabilities" (type 33))
    (export (;35;) "session" (type 2))
    (type (;36;) (own 35))
    (type (;37;) (func (param "user" string) (result 36)))
    (export (;10;) "[constructor]session" (func 0) (func (type 37)))
    (type (;38;) (borrow 35))
    (type (;39;) (func (param "self" 38) (param "doc" 30) (result u32)))
    (export (;11;) "[method]session.add" (func 1) (func (type 39)))
    (type (;40;) (option string))
    (type (;41;) (func (param "self" 38) (param "title" string) (result 40)))
    (export (;12;) "[method]session.lookup" (func 2) (func (type 41)))
    (type (;42;) (func (param "self" 38) (param "level" 27) (param "message" string)))
    (export (;13;) "[method]session.note" (func 3) (func (type 42)))
    (type (;43;) (func (param "self" 38)))
    (export (;14;) "[method]session.crash" (func 4) (func (type 43)))
    (type (;44;) (tuple string 34))
    (type (;45;) (func (result 44)))
    (export (;15;) "describe" (func 5) (func (type 45)))
    (type (;46;) (func (param "doc" 30) (result 30)))
    (export (;16;) "transform" (func 6) (func (type 46)))
    (type (;47;) (func (param "doc" 30) (result 32)))
    (export (;17;) "review" (func 7) (func (type 47)))
    (type (;48;) (list 30))
    (type (;49;) (tuple u32 u64))
    (type (;50;) (func (param "docs" 48) (result 49)))
    (export (;18;) "stats" (func 8) (func (type 50)))
    (type (;51;) (func (param "rounds" u64) (result u64)))
    (export (;19;) "spin" (func 9) (func (type 51)))
  )
  (instance $acme:plugins/plugin@0.1.0-shim-instance (;1;) (instantiate $acme:plugins/plugin@0.1.0-shim-component
      (with "import-constructor-session" (func $"[constructor]session"))
      (with "import-method-session-add" (func $"[method]session.add"))
      (with "import-method-session-lookup" (func $"[method]session.lookup"))
      (with "import-method-session-note" (func $"[method]session.note"))
      (with "import-method-session-crash" (func $"[method]session.crash"))
      (with "import-func-describe" (func $describe))
      (with "import-func-transform" (func $transform))
      (with "import-func-review" (func $review))
      (with "import-func-stats" (func $stats))
      (with "import-func-spin" (func $spin))
      (with "import-type-severity" (type $severity))
      (with "import-type-session" (type $session))
      (with "import-type-document" (type 3))
      (with "import-type-severity0" (type $severity))
      (with "import-type-capabilities" (type 5))
      (with "import-type-outcome" (type 4))
    )
  )
  (export $acme:plugins/plugin@0.1.0 (;2;) "acme:plugins/plugin@0.1.0" (instance $acme:plugins/plugin@0.1.0-shim-instance))
  (@producers
    (processed-by "wit-component" "0.262.0")
  )
)
