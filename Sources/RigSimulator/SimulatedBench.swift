import RigCore
